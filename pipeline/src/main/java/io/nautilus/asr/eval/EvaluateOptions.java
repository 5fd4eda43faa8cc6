package io.nautilus.asr.eval;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Typed settings of one {@code evaluate} run; see conf/evaluate/asr.yaml for each key.
 *
 * @param manifests NeMo JSONL manifests; empty when {@code shards} is given
 * @param shards NeMo tarred audio folders written by {@code shard}; empty when {@code manifests} is
 *     given
 * @param partitions tasks reading manifests; 0 = twice the default parallelism
 */
public record EvaluateOptions(
    String name,
    List<String> manifests,
    List<String> shards,
    String checkpoint,
    boolean useEma,
    String accelerator,
    int batchSize,
    TextProcessing text,
    String outputDir,
    boolean overwrite,
    int partitions)
    implements Serializable {
  public EvaluateOptions {
    manifests = List.copyOf(manifests);
    shards = List.copyOf(shards);
    Objects.requireNonNull(checkpoint, "checkpoint is null");
    Objects.requireNonNull(text, "text is null");
    Objects.requireNonNull(outputDir, "outputDir is null");
  }
}
