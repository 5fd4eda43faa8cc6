package io.nautilus.asr.eval;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigSchema;
import io.nautilus.config.ValueType;
import io.nautilus.run.SparkSettings;
import java.util.List;

/**
 * Every key of the {@code evaluate} job, with NeMo's names where {@code speech_to_text_eval} has
 * one.
 */
public final class EvaluateConfig {
  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional("name", ValueType.STRING, "evaluate", "a name for this run")
          .optional(
              "input.manifests",
              ValueType.STRING_LIST,
              List.of(),
              "NeMo JSONL manifests (audio_filepath, text, duration); relative audio paths resolve"
                  + " against the manifest's folder")
          .optional(
              "input.shards",
              ValueType.STRING_LIST,
              List.of(),
              "or: NeMo tarred audio folders written by `shard` (one task per shard)")
          .required(
              "model.checkpoint",
              ValueType.STRING,
              "a .ckpt file, or an experiment version folder (its newest -last checkpoint)")
          .optional("model.use_ema", ValueType.BOOLEAN, false, "load the EMA weights when saved")
          .optional(
              "accelerator",
              ValueType.STRING,
              "auto",
              "auto (the GPU Spark assigned the task, else CPU), gpu or cpu")
          .optional(
              "batch.size",
              ValueType.INT,
              16,
              "utterances per batch; a task sorts its utterances by duration before batching")
          .optional(
              "text_processing.do_lowercase",
              ValueType.BOOLEAN,
              false,
              "lower-case references and predictions before scoring")
          .optional(
              "text_processing.rm_punctuation",
              ValueType.BOOLEAN,
              false,
              "remove text_processing.punctuation_marks before scoring")
          .optional(
              "text_processing.punctuation_marks",
              ValueType.STRING,
              ".,?",
              "the characters rm_punctuation removes")
          .required("output.dir", ValueType.STRING, "where predictions and metrics are written")
          .optional(
              "output.overwrite", ValueType.BOOLEAN, false, "replace an existing non-empty output")
          .include(SparkSettings.SCHEMA)
          .build();

  private EvaluateConfig() {}

  public static EvaluateOptions options(Config c) {
    List<String> manifests = c.getStringList("input.manifests");
    List<String> shards = c.getStringList("input.shards");
    if (manifests.isEmpty() == shards.isEmpty()) {
      throw new ConfigException(
          "Cannot load config: set exactly one of input.manifests and input.shards, got "
              + manifests.size()
              + " manifest(s) and "
              + shards.size()
              + " shard folder(s)");
    }
    int batch = c.getInt("batch.size");
    if (batch < 1) {
      throw new ConfigException("Cannot load config: batch.size must be >= 1, got " + batch);
    }
    String accelerator = c.getString("accelerator");
    if (!List.of("auto", "cpu", "gpu").contains(accelerator)) {
      throw new ConfigException(
          "Cannot load config: accelerator must be auto, cpu or gpu, got '" + accelerator + "'");
    }
    return new EvaluateOptions(
        c.getString("name"),
        manifests,
        shards,
        c.getString("model.checkpoint"),
        c.getBoolean("model.use_ema"),
        accelerator,
        batch,
        new TextProcessing(
            c.getString("text_processing.punctuation_marks"),
            c.getBoolean("text_processing.do_lowercase"),
            c.getBoolean("text_processing.rm_punctuation")),
        c.getString("output.dir"),
        c.getBoolean("output.overwrite"),
        c.getInt("spark.partitions"));
  }
}
