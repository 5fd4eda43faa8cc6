package io.nautilus.prepare;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.encode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_keys;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.rtrim;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Line and JSON checks of the prepare job, in Spark SQL built-in functions only (no Java UDFs), so
 * the plan stays eligible for the Spark RAPIDS GPU plugin.
 *
 * <p>Spark's JSON reader turns any JSON value into a string when asked for a string, so types are
 * told apart by parsing the same fields as number, boolean, object and array too: a field that one
 * of those parses is not a JSON string.
 */
final class RecordChecks {
  static final String AUDIO_REF = "audio_ref";
  static final String M_DURATION = "m_duration";
  static final String M_OFFSET = "m_offset";
  static final String TEXT_IN = "text_in";
  static final String SPEAKER = "speaker";
  static final String LANG = "lang";

  /** Audio path keys NeMo accepts, in the order NeMo looks for them. */
  static final List<String> AUDIO_KEYS = List.of("audio_filepath", "audio_filename", "audio_file");

  static final List<String> TEXT_KEYS = List.of("text", "normalized_text");
  private static final List<String> STRING_FIELDS =
      List.of(
          "audio_filepath",
          "audio_filename",
          "audio_file",
          "text",
          "normalized_text",
          "text_filepath",
          "speaker",
          "lang");
  private static final List<String> NUMBER_FIELDS = List.of("duration", "offset");

  /** Characters no transcript should hold: C0 and C1 controls except tab, newline and CR. */
  static final String CONTROL_CLASS = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]";

  private RecordChecks() {}

  static Dataset<Row> apply(Dataset<Row> lines, PrepareOptions o) {
    Column line = col(ManifestLines.LINE);
    Dataset<Row> df =
        lines
            .withColumn(
                "_m",
                from_json(
                    line, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)))
            .withColumn("_t", from_json(line, typed()))
            .withColumn("_num", from_json(line, probe(DataTypes.DoubleType)))
            .withColumn("_bool", from_json(line, probe(DataTypes.BooleanType)))
            .withColumn(
                "_obj",
                from_json(
                    line,
                    probe(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))))
            .withColumn(
                "_arr", from_json(line, probe(DataTypes.createArrayType(DataTypes.StringType))))
            .withColumn("_keys", map_keys(col("_m")))
            .withColumn(Check.REASON, lit(null).cast(DataTypes.StringType))
            .withColumn(Check.MESSAGE, lit(null).cast(DataTypes.StringType));

    List<Check> checks = new ArrayList<>();
    checks.add(Check.of(line.rlike("^\\s*$"), RejectReason.BLANK_LINE, lit("the line is blank")));
    checks.add(
        Check.of(
            col(ManifestLines.LINE_BYTES).gt(o.maxLineBytes()),
            RejectReason.LINE_TOO_LONG,
            concat(
                lit("the line has "),
                col(ManifestLines.LINE_BYTES).cast("string"),
                lit(" bytes, over input.max_line_bytes = " + o.maxLineBytes()))));
    checks.add(
        Check.of(
            col(ManifestLines.UTF8_VALID).equalTo(false),
            RejectReason.INVALID_UTF8,
            lit("the line is not valid UTF-8; its exact bytes are kept in original_base64")));
    Column notParsed = col("_m").isNull();
    Column trimmed = trim(line);
    Column isJsonValue =
        expr("json_array_length(line)")
            .isNotNull()
            .or(trimmed.isin("null", "true", "false"))
            .or(trimmed.rlike("^\"(?:[^\"\\\\]|\\\\.)*\"$"))
            .or(trimmed.rlike("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"));
    Column jsonKind =
        when(expr("json_array_length(line)").isNotNull(), lit("an array"))
            .when(trimmed.equalTo("null"), lit("null"))
            .when(trimmed.isin("true", "false"), lit("a boolean"))
            .when(trimmed.startsWith("\""), lit("a string"))
            .otherwise(lit("a number"));
    checks.add(
        Check.of(
            notParsed.and(isJsonValue),
            RejectReason.NOT_AN_OBJECT,
            concat(lit("the line is "), jsonKind, lit(", not a JSON object"))));
    checks.add(
        Check.of(
            notParsed.or(rtrim(line).endsWith("}").equalTo(false)),
            RejectReason.MALFORMED_JSON,
            concat(lit("the line is not valid JSON: "), preview(line))));
    checks.add(
        Check.of(
            size(col("_keys")).notEqual(size(array_distinct(col("_keys")))),
            RejectReason.DUPLICATE_KEY,
            concat(
                lit("the object repeats the key(s) "),
                concat_ws(
                    ", ",
                    expr(
                        "array_distinct(filter(_keys, k -> size(filter(_keys, j -> j = k)) > 1))")))));
    for (String f : STRING_FIELDS) {
      checks.add(
          Check.of(
              notString(f),
              RejectReason.WRONG_TYPE,
              concat(lit(f + " must be a string, got "), preview(element_at(col("_m"), f)))));
    }
    for (String f : NUMBER_FIELDS) {
      checks.add(
          Check.of(
              present(f).and(col("_t." + f).isNull()),
              RejectReason.WRONG_TYPE,
              concat(lit(f + " must be a number, got "), preview(element_at(col("_m"), f)))));
    }
    Column audio = coalesce(AUDIO_KEYS.stream().map(k -> col("_t." + k)).toArray(Column[]::new));
    checks.add(
        Check.of(
            audio.isNull().or(trim(audio).equalTo("")),
            RejectReason.MISSING_AUDIO_PATH,
            lit("the record has no audio_filepath (nor audio_filename / audio_file)")));
    Column d = col("_t.duration");
    checks.add(
        Check.of(
            d.isNotNull()
                .and(
                    isnan(d)
                        .or(d.leq(0))
                        .or(d.gt(o.maxPlausibleDuration()))
                        .or(d.equalTo(Double.POSITIVE_INFINITY))),
            RejectReason.BAD_DURATION,
            when(isnan(d), lit("duration is NaN"))
                .when(d.leq(0), concat(lit("duration must be > 0, got "), d.cast("string")))
                .otherwise(
                    concat(
                        lit("duration "),
                        d.cast("string"),
                        lit(
                            " s is implausible (input.max_plausible_duration = "
                                + o.maxPlausibleDuration()
                                + ")")))));
    Column off = col("_t.offset");
    checks.add(
        Check.of(
            off.isNotNull().and(isnan(off).or(off.lt(0)).or(off.equalTo(Double.POSITIVE_INFINITY))),
            RejectReason.BAD_OFFSET,
            concat(lit("offset must be a finite number >= 0, got "), off.cast("string"))));
    Column text = coalesce(TEXT_KEYS.stream().map(k -> col("_t." + k)).toArray(Column[]::new));
    if (o.textRequired()) {
      checks.add(
          Check.of(
              text.isNull(),
              RejectReason.MISSING_TEXT,
              when(
                      col("_t.text_filepath").isNotNull(),
                      lit(
                          "the record has only text_filepath, which prepare does not read yet;"
                              + " put the transcript in 'text'"))
                  .otherwise(lit("the record has no text (nor normalized_text)"))));
    }
    if (o.controlChars() == PrepareOptions.OnProblem.REJECT) {
      checks.add(
          Check.of(
              coalesce(text, lit("")).rlike(CONTROL_CLASS),
              RejectReason.CONTROL_CHARS,
              concat(
                  lit("the text holds the control character 0x"),
                  hex(encode(regexp_extract(text, "(" + CONTROL_CLASS + ")", 1), "UTF-8")))));
    }
    df = Check.applyAll(df, checks);
    return df.withColumn(AUDIO_REF, audio)
        .withColumn(M_DURATION, d)
        .withColumn(M_OFFSET, off)
        .withColumn(TEXT_IN, text)
        .withColumn(SPEAKER, col("_t.speaker"))
        .withColumn(LANG, col("_t.lang"))
        .drop("_m", "_t", "_num", "_bool", "_obj", "_arr", "_keys");
  }

  private static Column present(String f) {
    return element_at(col("_m"), f).isNotNull();
  }

  private static Column notString(String f) {
    // A JSON string "NaN" or "Infinity" also parses as a double; it is still a string.
    Column special = col("_t." + f).rlike("^[+-]?(NaN|Infinity|INF)$");
    return present(f)
        .and(
            col("_num." + f)
                .isNotNull()
                .and(special.equalTo(false))
                .or(col("_bool." + f).isNotNull())
                .or(col("_obj." + f).isNotNull())
                .or(col("_arr." + f).isNotNull()));
  }

  private static Column preview(Column value) {
    return when(value.isNull(), lit("null"))
        .when(length(value).gt(80), concat(substring(value, 1, 80), lit("...")))
        .otherwise(value);
  }

  private static StructType typed() {
    StructType t = new StructType();
    for (String f : STRING_FIELDS) {
      t = t.add(f, DataTypes.StringType);
    }
    for (String f : NUMBER_FIELDS) {
      t = t.add(f, DataTypes.DoubleType);
    }
    return t;
  }

  private static StructType probe(DataType type) {
    StructType t = new StructType();
    for (String f : STRING_FIELDS) {
      t = t.add(f, type);
    }
    return t;
  }
}
