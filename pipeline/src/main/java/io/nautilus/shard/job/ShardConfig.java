package io.nautilus.shard.job;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigSchema;
import io.nautilus.config.ValueType;
import io.nautilus.run.SparkSettings;
import java.util.List;
import java.util.Locale;

/**
 * Every key the shard job reads, with its type, default and meaning (NeMo names where they exist).
 */
public final class ShardConfig {
  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional(
              "format", ValueType.STRING, "nemo_audio", "nemo_audio (this mode) or webdataset")
          .optional("name", ValueType.STRING, "shard", "a name for this dataset or run")
          .required(
              "input.prepared",
              ValueType.STRING_LIST,
              "prepare output folders (their accepted.parquet is read), in order")
          .required("output.dir", ValueType.STRING, "where the shard set is written")
          .optional(
              "output.overwrite", ValueType.BOOLEAN, false, "replace an existing non-empty output")
          .optional(
              "output.append",
              ValueType.BOOLEAN,
              false,
              "add shards for input not sharded yet (and the last remainder) after the existing"
                  + " ones, as tarred_audio_manifest_version_{v}.json + metadata_version_{v}.yaml")
          .optional(
              "shard.num_shards",
              ValueType.INT,
              null,
              "shards per bucket; null = from shard.target_shard_mb")
          .optional(
              "shard.target_shard_mb",
              ValueType.DOUBLE,
              100.0,
              "aim for shards of about this many MB when num_shards is null")
          .optional("shard.shuffle", ValueType.BOOLEAN, true, "shuffle entries before sharding")
          .optional("shard.shuffle_seed", ValueType.LONG, 0L, "seed of the shuffle")
          .optional(
              "shard.sort_in_shards",
              ValueType.BOOLEAN,
              false,
              "sort each shard by ascending duration")
          .optional(
              "shard.buckets_num",
              ValueType.INT,
              1,
              "equal-width duration buckets, each a full dataset in bucket{k}/ (1 = no buckets)")
          .optional(
              "shard.min_duration",
              ValueType.DOUBLE,
              null,
              "lower edge of the bucket range; null = the data's shortest duration")
          .optional(
              "shard.max_duration",
              ValueType.DOUBLE,
              null,
              "upper edge of the bucket range; null = the data's longest duration")
          .optional(
              "shard.equal_count",
              ValueType.BOOLEAN,
              true,
              "every shard gets the same count (NeMo's DDP rule); the rest goes to"
                  + " remainder_manifest.json instead of being dropped")
          .optional(
              "shard.slice_with_offset",
              ValueType.BOOLEAN,
              false,
              "store only [offset, offset+duration) of entries with an offset (re-encoded as WAV)")
          .optional(
              "audio.codec",
              ValueType.STRING,
              "copy",
              "copy (source bytes untouched), wav (16-bit PCM) or flac")
          .optional(
              "audio.sample_rate",
              ValueType.INT,
              null,
              "resample to this rate (anti-aliased); null = keep")
          .optional("audio.mono", ValueType.BOOLEAN, false, "average channels into one")
          .optional(
              "debug.fail_after_samples",
              ValueType.INT,
              0,
              "TEST ONLY: the first attempt of each task fails after writing this many samples")
          .include(SparkSettings.SCHEMA)
          .build();

  private ShardConfig() {}

  public static ShardOptions options(Config c) {
    Integer numShards = c.getInt("shard.num_shards");
    if (numShards != null && numShards <= 0) {
      throw new ConfigException(
          "Cannot load config: shard.num_shards must be > 0, got " + numShards);
    }
    Double target = c.getDouble("shard.target_shard_mb");
    if (numShards == null && (target == null || target <= 0)) {
      throw new ConfigException(
          "Cannot load config: set shard.num_shards or a positive shard.target_shard_mb");
    }
    int buckets = c.getInt("shard.buckets_num");
    if (buckets < 1) {
      throw new ConfigException(
          "Cannot load config: shard.buckets_num must be >= 1, got " + buckets);
    }
    String codec = c.getString("audio.codec");
    if (!List.of("copy", "wav", "flac").contains(codec)) {
      throw new ConfigException(
          "Cannot load config: audio.codec must be one of [copy, wav, flac], got '" + codec + "'");
    }
    Integer rate = c.getInt("audio.sample_rate");
    if (rate != null && (rate < 1000 || rate > 384000)) {
      throw new ConfigException(
          "Cannot load config: audio.sample_rate must be in [1000, 384000], got " + rate);
    }
    ShardOptions.Codec parsed = ShardOptions.Codec.valueOf(codec.toUpperCase(Locale.ROOT));
    if (parsed == ShardOptions.Codec.COPY && (rate != null || c.getBoolean("audio.mono"))) {
      throw new ConfigException(
          "Cannot load config: audio.codec=copy stores source bytes untouched, so it cannot resample"
              + " or downmix; set audio.codec=wav or flac");
    }
    return new ShardOptions(
        c.getString("name"),
        c.getStringList("input.prepared"),
        c.getString("output.dir"),
        c.getBoolean("output.overwrite"),
        c.getBoolean("output.append"),
        numShards,
        target,
        c.getBoolean("shard.shuffle"),
        c.getLong("shard.shuffle_seed"),
        c.getBoolean("shard.sort_in_shards"),
        buckets,
        c.getDouble("shard.min_duration"),
        c.getDouble("shard.max_duration"),
        c.getBoolean("shard.equal_count"),
        parsed,
        rate,
        c.getBoolean("audio.mono"),
        c.getBoolean("shard.slice_with_offset"),
        c.getInt("debug.fail_after_samples"),
        c.getInt("spark.partitions"));
  }
}
