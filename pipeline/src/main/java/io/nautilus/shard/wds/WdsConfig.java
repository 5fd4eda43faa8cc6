package io.nautilus.shard.wds;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigSchema;
import io.nautilus.config.ValueType;
import io.nautilus.run.SparkSettings;
import java.util.List;
import java.util.regex.Pattern;

/** Every key of the shard job's WebDataset mode ({@code format: webdataset}). */
public final class WdsConfig {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional(
              "format", ValueType.STRING, "webdataset", "webdataset (this mode) or nemo_audio")
          .optional("name", ValueType.STRING, "data", "shards are named {name}-{000000..N}.tar")
          .required(
              "input.manifests",
              ValueType.STRING_LIST,
              "JSONL records (local, hdfs://, s3a://, globs)")
          .optional(
              "input.allowed_roots",
              ValueType.STRING_LIST,
              List.of(),
              "images must resolve inside these; empty = each manifest's own folder")
          .optional(
              "input.image_key",
              ValueType.STRING,
              null,
              "record field with the image path (image-text data); null = text-only records")
          .optional(
              "input.text_key",
              ValueType.STRING,
              null,
              "record field stored as the sample's .txt member (e.g. caption); null = none")
          .optional("input.max_line_bytes", ValueType.INT, 1048576, "longer lines are rejected")
          .required("output.dir", ValueType.STRING, "where the shards are written")
          .optional(
              "output.overwrite", ValueType.BOOLEAN, false, "replace an existing non-empty output")
          .optional("webdataset.maxcount", ValueType.INT, 1000, "most samples per shard")
          .optional("webdataset.maxsize_mb", ValueType.DOUBLE, 100.0, "most payload MB per shard")
          .optional(
              "webdataset.shuffle", ValueType.BOOLEAN, true, "shuffle samples before sharding")
          .optional("webdataset.shuffle_seed", ValueType.LONG, 0L, "seed of the shuffle")
          .optional(
              "image.filter_method",
              ValueType.STRING,
              null,
              "larger: keep width and height >= filter_value; smaller: both <= filter_value")
          .optional("image.filter_value", ValueType.INT, 0, "pixels for image.filter_method")
          .optional(
              "image.resize_smallest_side",
              ValueType.INT,
              null,
              "downscale so the smaller side is this many pixels (antialiased); null = keep")
          .optional(
              "image.center_crop_h_w", ValueType.STRING, null, "center crop \"H,W\" after resizing")
          .optional("image.jpeg_quality", ValueType.INT, 95, "JPEG quality of re-encoded images")
          .optional(
              "max_reject_fraction",
              ValueType.DOUBLE,
              1.0,
              "fail the job when more than this fraction of lines is rejected")
          .include(SparkSettings.SCHEMA)
          .build();

  private WdsConfig() {}

  public static WdsOptions options(Config c) {
    String name = c.getString("name");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(
          "Cannot load config: name '"
              + name
              + "' must be letters, digits, '_' or '-' (it names the shards)");
    }
    String method = c.getString("image.filter_method");
    if (method != null && !List.of("larger", "smaller").contains(method)) {
      throw new ConfigException(
          "Cannot load config: image.filter_method must be larger, smaller or null, got '"
              + method
              + "'");
    }
    if (c.getInt("webdataset.maxcount") <= 0 || c.getDouble("webdataset.maxsize_mb") <= 0) {
      throw new ConfigException(
          "Cannot load config: webdataset.maxcount and maxsize_mb must be > 0");
    }
    return new WdsOptions(
        name,
        c.getStringList("input.manifests"),
        c.getStringList("input.allowed_roots"),
        c.getString("input.image_key"),
        c.getString("input.text_key"),
        c.getInt("input.max_line_bytes"),
        c.getString("output.dir"),
        c.getBoolean("output.overwrite"),
        c.getInt("webdataset.maxcount"),
        c.getDouble("webdataset.maxsize_mb"),
        c.getBoolean("webdataset.shuffle"),
        c.getLong("webdataset.shuffle_seed"),
        method,
        c.getInt("image.filter_value"),
        c.getInt("image.resize_smallest_side"),
        c.getString("image.center_crop_h_w"),
        c.getInt("image.jpeg_quality"),
        c.getDouble("max_reject_fraction"),
        c.getInt("spark.partitions"));
  }
}
