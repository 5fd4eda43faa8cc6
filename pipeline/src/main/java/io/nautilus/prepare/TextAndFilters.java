package io.nautilus.prepare;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.nautilus.prepare.PrepareOptions.Duplicates;
import io.nautilus.prepare.PrepareOptions.OnProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** After probing: durations, text normalisation, filters and duplicates, in Spark SQL built-ins. */
final class TextAndFilters {
  static final String DURATION = "duration";
  static final String OFFSET = "offset";
  static final String TEXT = "text";
  static final String WARNING = "warning";

  private TextAndFilters() {}

  static Dataset<Row> apply(Dataset<Row> df, PrepareOptions o) {
    Column fileDur = col(MediaProbe.FILE_DURATION);
    Column mDur = col(RecordChecks.M_DURATION);
    Column mOff = col(RecordChecks.M_OFFSET);
    Column offset = coalesce(mOff, lit(0.0));
    double tol = o.durationTolerance();

    Column mismatch = mOff.isNull().and(mDur.isNotNull()).and(abs(mDur.minus(fileDur)).gt(tol));
    Column duration =
        o.durationMismatch() == OnProblem.REJECT
            ? coalesce(mDur, fileDur.minus(offset))
            : when(mismatch, fileDur).otherwise(coalesce(mDur, fileDur.minus(offset)));
    df =
        df.withColumn(DURATION, duration)
            .withColumn(OFFSET, mOff)
            .withColumn(
                WARNING,
                when(
                    col(Check.REASON).isNull().and(mismatch),
                    concat(
                        lit("manifest duration "),
                        mDur.cast("string"),
                        lit(" s replaced by the audio's "),
                        format_number(fileDur, 3),
                        lit(" s"))));

    Column text = normalized(col(RecordChecks.TEXT_IN), o);
    Column leftover = null;
    if (o.allowedChars() != null) {
      String allowed = "[" + o.allowedChars() + "]";
      Pattern.compile(allowed); // fails early, with the config key in the caller's message
      if (o.disallowedChars() == OnProblem.REMOVE) {
        text =
            trim(
                regexp_replace(
                    regexp_replace(text, "[^" + o.allowedChars() + "]", ""), "\\s+", " "));
      } else {
        leftover = regexp_replace(text, allowed, "");
      }
    }
    df = df.withColumn(TEXT, text);
    Column t = col(TEXT);
    Column d = col(DURATION);
    Column cps = length(t).divide(d);

    List<Check> checks = new ArrayList<>();
    checks.add(
        Check.of(
            mOff.isNotNull().and(mOff.plus(coalesce(mDur, lit(0.0))).gt(fileDur.plus(tol))),
            RejectReason.OFFSET_OUT_OF_RANGE,
            concat(
                lit("offset "),
                mOff.cast("string"),
                lit(" + duration "),
                coalesce(mDur, lit(0.0)).cast("string"),
                lit(" s goes past the audio's "),
                format_number(fileDur, 3),
                lit(" s"))));
    if (o.durationMismatch() == OnProblem.REJECT) {
      checks.add(
          Check.of(
              mismatch,
              RejectReason.DURATION_MISMATCH,
              concat(
                  lit("manifest duration "),
                  mDur.cast("string"),
                  lit(" s, audio has "),
                  format_number(fileDur, 3),
                  lit(" s (media.duration_tolerance = " + tol + ")"))));
    }
    checks.add(
        Check.of(
            d.leq(0),
            RejectReason.ZERO_LENGTH_AUDIO,
            concat(lit("the selected audio lasts "), d.cast("string"), lit(" s"))));
    if (leftover != null) {
      checks.add(
          Check.of(
              length(leftover).gt(0),
              RejectReason.DISALLOWED_CHARS,
              concat(
                  lit("the text has characters outside normalize.allowed_chars: "),
                  array_join(array_distinct(split(leftover, "")), " "))));
    }
    if (o.dropEmptyText()) {
      checks.add(
          Check.of(
              t.isNotNull().and(length(t).equalTo(0)),
              RejectReason.EMPTY_TEXT,
              lit("the text is empty after normalisation")));
    }
    if (o.maxTextLength() != null) {
      checks.add(
          Check.of(
              length(t).gt(o.maxTextLength()),
              RejectReason.TEXT_TOO_LONG,
              concat(
                  lit("the text has "),
                  length(t).cast("string"),
                  lit(" characters, over filter.max_text_length = " + o.maxTextLength()))));
    }
    checks.add(
        Check.of(
            d.lt(o.minDuration()),
            RejectReason.TOO_SHORT,
            concat(
                lit("duration "),
                format_number(d, 3),
                lit(" s is below filter.min_duration = " + o.minDuration()))));
    if (o.maxDuration() != null) {
      checks.add(
          Check.of(
              d.geq(o.maxDuration()),
              RejectReason.TOO_LONG,
              concat(
                  lit("duration "),
                  format_number(d, 3),
                  lit(" s is not below filter.max_duration = " + o.maxDuration()))));
    }
    if (o.minCharsPerSecond() != null || o.maxCharsPerSecond() != null) {
      Column low = o.minCharsPerSecond() == null ? lit(false) : cps.lt(o.minCharsPerSecond());
      Column high = o.maxCharsPerSecond() == null ? lit(false) : cps.gt(o.maxCharsPerSecond());
      checks.add(
          Check.of(
              t.isNotNull().and(low.or(high)),
              RejectReason.CPS_OUTLIER,
              concat(
                  format_number(cps, 2),
                  lit(
                      " characters per second, outside ["
                          + o.minCharsPerSecond()
                          + ", "
                          + o.maxCharsPerSecond()
                          + "]"))));
    }
    df = Check.applyAll(df, checks);
    return duplicates(df, o.duplicates());
  }

  /** Lower case, punctuation, control characters and whitespace, as configured. */
  static Column normalized(Column text, PrepareOptions o) {
    Column t = text;
    if (o.controlChars() == OnProblem.REMOVE) {
      t = regexp_replace(t, RecordChecks.CONTROL_CLASS, "");
    }
    if (o.lowercase()) {
      t = lower(t);
    }
    if (o.stripPunctuation()) {
      String keep = o.keepPunctuation() == null ? "" : o.keepPunctuation();
      String punct =
          keep.isEmpty() ? "[\\p{P}\\p{S}]" : "[\\p{P}\\p{S}&&[^" + classLiteral(keep) + "]]";
      t = regexp_replace(t, punct, " ");
    }
    if (o.foldWhitespace()) {
      t = trim(regexp_replace(t, "\\s+", " "));
    }
    return t;
  }

  /** The characters of {@code chars}, escaped to stand for themselves inside a regex class. */
  static String classLiteral(String chars) {
    StringBuilder sb = new StringBuilder();
    for (char c : chars.toCharArray()) {
      if ("\\^-[]&".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * Marks every record after the first with the same key as DUPLICATE. Rejected rows get a unique
   * key of their own, so they neither collide nor pile into one window partition.
   */
  private static Dataset<Row> duplicates(Dataset<Row> df, Duplicates mode) {
    if (mode == Duplicates.NONE) {
      return df;
    }
    Column key = duplicateKey(mode);
    WindowSpec w =
        Window.partitionBy(col("_dup_key"))
            .orderBy(col(ManifestLines.SOURCE_INDEX), col(ManifestLines.LINE_NUMBER));
    df =
        df.withColumn("_dup_key", key)
            .withColumn("_dup_rank", row_number().over(w))
            .withColumn(
                "_dup_first",
                first(
                        concat(
                            col(ManifestLines.SOURCE),
                            lit(":"),
                            col(ManifestLines.LINE_NUMBER).cast("string")))
                    .over(w));
    Column dup = col(Check.REASON).isNull().and(col("_dup_rank").gt(1));
    String what = duplicateWhat(mode);
    return df.withColumn(
            Check.MESSAGE,
            when(dup, concat(lit("duplicate of " + what + " at "), col("_dup_first")))
                .otherwise(col(Check.MESSAGE)))
        .withColumn(
            Check.REASON,
            when(dup, lit(RejectReason.DUPLICATE.name())).otherwise(col(Check.REASON)))
        .drop("_dup_key", "_dup_rank", "_dup_first");
  }

  /** The key two records share when they count as the same; unique for rejected rows. */
  private static Column duplicateKey(Duplicates mode) {
    Column id =
        mode == Duplicates.CONTENT ? col(MediaProbe.CONTENT_HASH) : col(MediaProbe.RESOLVED);
    return when(
            col(Check.REASON).isNull(),
            concat_ws(
                "|",
                id,
                coalesce(col(OFFSET).cast("string"), lit("")),
                coalesce(col(RecordChecks.M_DURATION).cast("string"), lit(""))))
        .otherwise(
            concat_ws(
                "|",
                lit("rejected"),
                col(ManifestLines.SOURCE_INDEX).cast("string"),
                col(ManifestLines.LINE_NUMBER).cast("string")));
  }

  private static String duplicateWhat(Duplicates mode) {
    return mode == Duplicates.CONTENT ? "the same audio content" : "the same audio path";
  }

  /**
   * The duplicate keys of the accepted records of {@link #apply}'s result, with where each was
   * found ({@code source:line}), as JSON lines: what a later incremental run checks against.
   */
  static Dataset<String> acceptedKeys(Dataset<Row> all, Duplicates mode) {
    return all.where(col(Check.REASON).isNull())
        .select(
            to_json(
                    struct(
                        duplicateKey(mode).as(KEY),
                        concat(
                                col(ManifestLines.SOURCE),
                                lit(":"),
                                col(ManifestLines.LINE_NUMBER).cast("string"))
                            .as(FIRST)))
                .as("value"))
        .orderBy(col("value"))
        .as(org.apache.spark.sql.Encoders.STRING());
  }

  /** The schema of {@link #acceptedKeys} lines, to read them back. */
  static final String KEYS_SCHEMA = "key STRING, first STRING";

  private static final String KEY = "key";
  private static final String FIRST = "first";

  /**
   * Marks accepted records whose key an earlier incremental run accepted as DUPLICATE of that
   * record: across runs, the record seen first in time is kept.
   */
  static Dataset<Row> markEarlierDuplicates(
      Dataset<Row> df, Dataset<Row> earlier, Duplicates mode) {
    if (mode == Duplicates.NONE) {
      return df;
    }
    Dataset<Row> keys =
        earlier
            .groupBy(col(KEY).as("_earlier_key"))
            .agg(org.apache.spark.sql.functions.min(col(FIRST)).as("_earlier_first"));
    Column dup = col(Check.REASON).isNull().and(col("_earlier_first").isNotNull());
    return df.withColumn("_dup_key", duplicateKey(mode))
        .join(keys, col("_dup_key").equalTo(col("_earlier_key")), "left")
        .withColumn(
            Check.MESSAGE,
            when(
                    dup,
                    concat(
                        lit("duplicate of " + duplicateWhat(mode) + " at "),
                        col("_earlier_first"),
                        lit(" (an earlier run)")))
                .otherwise(col(Check.MESSAGE)))
        .withColumn(
            Check.REASON,
            when(dup, lit(RejectReason.DUPLICATE.name())).otherwise(col(Check.REASON)))
        .drop("_dup_key", "_earlier_key", "_earlier_first");
  }
}
