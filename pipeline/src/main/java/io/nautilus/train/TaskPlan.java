package io.nautilus.train;

import io.nautilus.io.Storage;
import io.nautilus.train.data.ShardSet;
import java.io.Serializable;

/**
 * What the driver sends to every rank of one training stage.
 *
 * @param stepsPerEpoch optimizer steps every rank takes per epoch (agreed on the driver)
 * @param maxSteps optimizer steps of the whole run
 * @param versionDir the experiment version folder, qualified
 * @param storage the storage (Hadoop settings) ranks read shards and write checkpoints with
 * @param attempt 0 for the first stage, then 1, 2, … for the driver's restarts
 * @param session names the collective group of this attempt
 */
public record TaskPlan(
    TrainOptions options,
    ShardSet train,
    ShardSet validation,
    long stepsPerEpoch,
    long maxSteps,
    String versionDir,
    Storage storage,
    int attempt,
    String session)
    implements Serializable {}
