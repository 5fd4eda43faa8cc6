package io.nautilus.train;

import java.io.Serializable;
import java.util.Map;

/**
 * What one rank reports when its training stage ends.
 *
 * @param steps optimizer steps taken in the whole run (resumed ones included)
 * @param resumedFrom the checkpoint this stage started from, or null
 * @param skippedSteps steps skipped for NaN/Inf in this stage
 * @param lastLoss the mean training loss over ranks of the last step
 * @param validation the last validation metrics (empty without validation data)
 * @param stageSeconds wall time of this stage's training loop (steps, validation, checkpoints)
 * @param commSeconds of which spent in the gradient and loss all-reduce
 * @param parameters the final weights (rank 0 only; null elsewhere), for tests and summaries
 */
public record RankResult(
    int rank,
    long steps,
    String resumedFrom,
    long skippedSteps,
    double lastLoss,
    Map<String, Double> validation,
    double stageSeconds,
    double commSeconds,
    Map<String, float[]> parameters)
    implements Serializable {}
