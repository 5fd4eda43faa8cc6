package io.nautilus.prepare;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigSchema;
import io.nautilus.config.ValueType;
import io.nautilus.run.SparkSettings;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Every key the prepare job reads, with its type, default and meaning. */
public final class PrepareConfig {
  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional("name", ValueType.STRING, "prepare", "a name for this dataset or run")
          .required(
              "input.manifests",
              ValueType.STRING_LIST,
              "NeMo JSONL manifests: local paths or Hadoop URIs (hdfs://, s3a://), globs allowed")
          .optional(
              "input.allowed_roots",
              ValueType.STRING_LIST,
              List.of(),
              "media must resolve inside one of these; empty = each manifest's own folder")
          .optional(
              "input.max_line_bytes", ValueType.INT, 262144, "longer manifest lines are rejected")
          .optional("input.text_required", ValueType.BOOLEAN, true, "reject records without text")
          .optional(
              "input.max_plausible_duration",
              ValueType.DOUBLE,
              86400.0,
              "a manifest duration above this many seconds is rejected as absurd")
          .required("output.dir", ValueType.STRING, "where the prepared dataset is written")
          .optional(
              "output.overwrite", ValueType.BOOLEAN, false, "replace an existing non-empty output")
          .optional(
              "output.incremental",
              ValueType.BOOLEAN,
              false,
              "add only manifests and appended lines not seen before, as a new run under runs/"
                  + " (prepare_state.json keeps what was seen)")
          .optional(
              "media.decode",
              ValueType.STRING,
              "full",
              "full = decode every file to the end; header = read headers only (faster, trusts sizes)")
          .optional(
              "media.duration_tolerance",
              ValueType.DOUBLE,
              0.1,
              "seconds a manifest duration may differ from the audio's")
          .optional(
              "media.duration_mismatch",
              ValueType.STRING,
              "reject",
              "reject, or warn (keep the record with the audio's duration)")
          .optional("normalize.lowercase", ValueType.BOOLEAN, true, "lower-case the text")
          .optional(
              "normalize.strip_punctuation",
              ValueType.BOOLEAN,
              true,
              "replace punctuation and symbols with spaces")
          .optional(
              "normalize.keep_punctuation",
              ValueType.STRING,
              "'",
              "punctuation kept when stripping (apostrophes by default)")
          .optional(
              "normalize.fold_whitespace",
              ValueType.BOOLEAN,
              true,
              "collapse runs of whitespace, trim")
          .optional(
              "normalize.control_chars",
              ValueType.STRING,
              "reject",
              "reject records whose text has control characters, or remove them")
          .optional(
              "normalize.allowed_chars",
              ValueType.STRING,
              null,
              "regex class body of allowed characters after normalisation, e.g. \"a-z '\"; null = any")
          .optional(
              "normalize.disallowed_chars",
              ValueType.STRING,
              "reject",
              "reject records with characters outside allowed_chars, or remove them")
          .optional("filter.min_duration", ValueType.DOUBLE, 0.0, "keep duration >= this (seconds)")
          .optional(
              "filter.max_duration",
              ValueType.DOUBLE,
              null,
              "keep duration < this (seconds); null = no limit")
          .optional(
              "filter.drop_empty_text",
              ValueType.BOOLEAN,
              true,
              "reject text that normalises to nothing")
          .optional(
              "filter.max_text_length",
              ValueType.INT,
              null,
              "reject longer normalised text; null = no limit")
          .optional(
              "filter.min_chars_per_second",
              ValueType.DOUBLE,
              null,
              "reject slower speech; null = off")
          .optional(
              "filter.max_chars_per_second",
              ValueType.DOUBLE,
              null,
              "reject faster speech; null = off")
          .optional(
              "filter.duplicates",
              ValueType.STRING,
              "content",
              "content (same audio bytes, offset, duration), path (same file), or none")
          .optional(
              "max_reject_fraction",
              ValueType.DOUBLE,
              1.0,
              "fail the job when more than this fraction of lines is rejected")
          .optional(
              "stats.duration_histogram",
              ValueType.DOUBLE_LIST,
              List.of(1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0),
              "bucket edges in seconds for the duration histogram in stats.json")
          .include(SparkSettings.SCHEMA)
          .build();

  private PrepareConfig() {}

  /** Typed options, with values the schema cannot check (enums, regexes, ranges) checked here. */
  public static PrepareOptions options(Config c) {
    String allowed = c.getString("normalize.allowed_chars");
    if (allowed != null) {
      try {
        Pattern.compile("[" + allowed + "]");
      } catch (PatternSyntaxException e) {
        throw new ConfigException(
            "Cannot load config: normalize.allowed_chars '"
                + allowed
                + "' is not a valid regex class body: "
                + e.getDescription());
      }
    }
    double maxFraction = c.getDouble("max_reject_fraction");
    if (maxFraction < 0 || maxFraction > 1) {
      throw new ConfigException(
          "Cannot load config: max_reject_fraction must be in [0, 1], got " + maxFraction);
    }
    List<Double> edges = c.getDoubleList("stats.duration_histogram");
    for (int i = 1; i < edges.size(); i++) {
      if (edges.get(i) <= edges.get(i - 1)) {
        throw new ConfigException(
            "Cannot load config: stats.duration_histogram must be increasing, got " + edges);
      }
    }
    return new PrepareOptions(
        c.getStringList("input.manifests"),
        c.getString("output.dir"),
        c.getBoolean("output.overwrite"),
        c.getBoolean("output.incremental"),
        c.getStringList("input.allowed_roots"),
        positive(c, "input.max_line_bytes", c.getInt("input.max_line_bytes")),
        c.getBoolean("input.text_required"),
        c.getDouble("input.max_plausible_duration"),
        choice(c, "media.decode", "full", "header").equals("full"),
        c.getDouble("media.duration_tolerance"),
        onProblem(c, "media.duration_mismatch", "reject", "warn"),
        c.getBoolean("normalize.lowercase"),
        c.getBoolean("normalize.strip_punctuation"),
        c.getString("normalize.keep_punctuation"),
        c.getBoolean("normalize.fold_whitespace"),
        onProblem(c, "normalize.control_chars", "reject", "remove"),
        allowed,
        onProblem(c, "normalize.disallowed_chars", "reject", "remove"),
        c.getDouble("filter.min_duration"),
        nullableDouble(c, "filter.max_duration"),
        c.getBoolean("filter.drop_empty_text"),
        c.isNull("filter.max_text_length") ? null : c.getInt("filter.max_text_length"),
        nullableDouble(c, "filter.min_chars_per_second"),
        nullableDouble(c, "filter.max_chars_per_second"),
        PrepareOptions.Duplicates.valueOf(
            choice(c, "filter.duplicates", "content", "path", "none").toUpperCase(Locale.ROOT)),
        maxFraction,
        edges,
        c.getInt("spark.partitions"));
  }

  private static Double nullableDouble(Config c, String key) {
    return c.isNull(key) ? null : c.getDouble(key);
  }

  private static int positive(Config c, String key, int value) {
    if (value <= 0) {
      throw new ConfigException("Cannot load config: " + key + " must be > 0, got " + value);
    }
    return value;
  }

  private static String choice(Config c, String key, String... allowed) {
    String v = c.getString(key);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new ConfigException(
        "Cannot load config: " + key + " must be one of " + List.of(allowed) + ", got '" + v + "'");
  }

  private static PrepareOptions.OnProblem onProblem(Config c, String key, String... allowed) {
    return PrepareOptions.OnProblem.valueOf(choice(c, key, allowed).toUpperCase(Locale.ROOT));
  }
}
