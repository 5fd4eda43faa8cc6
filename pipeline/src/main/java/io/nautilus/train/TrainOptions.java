package io.nautilus.train;

import io.nautilus.train.data.DataSplit;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;

/** The resolved {@code train} config, shipped to every rank. */
public record TrainOptions(
    String name,
    int worldSize,
    String accelerator,
    int maxEpochs,
    long maxSteps,
    int microBatchSize,
    int accumulation,
    double gradientClipVal,
    long seed,
    double valCheckInterval,
    int logEveryNSteps,
    String precision,
    int maxRestarts,
    int maxNonfiniteSteps,
    int bucketBytes,
    int collectiveTimeoutSeconds,
    String expDir,
    String expName,
    String version,
    boolean useDatetimeVersion,
    boolean resumeIfExists,
    boolean resumeIgnoreNoCheckpoint,
    boolean resumePastEnd,
    String resumeFromCheckpoint,
    boolean tensorboard,
    boolean checkpoints,
    String monitor,
    String mode,
    int saveTopK,
    boolean saveLast,
    int everyNEpochs,
    int everyNTrainSteps,
    boolean ema,
    double emaDecay,
    int emaEveryNSteps,
    String modelName,
    LinkedHashMap<String, Object> asrModel,
    LinkedHashMap<String, Object> preprocessor,
    LinkedHashMap<String, Object> specAugment,
    int context,
    int hidden,
    int maxChars,
    List<String> trainShards,
    DataSplit split,
    int shuffleN,
    List<String> validationShards,
    int validationBatchSize,
    String optimizer,
    LinkedHashMap<String, Object> optimizerArgs,
    String schedule,
    LinkedHashMap<String, Object> scheduleArgs,
    long failAtStep,
    int failRank,
    String failMode,
    List<Integer> nonfiniteAtSteps,
    String resolvedYaml)
    implements Serializable {

  /** Samples per optimizer step over all ranks. */
  public int globalBatchSize() {
    return microBatchSize * worldSize * accumulation;
  }
}
