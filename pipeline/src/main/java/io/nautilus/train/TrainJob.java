package io.nautilus.train;

import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.train.data.ShardSet;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag$;

/**
 * The {@code train} job's driver: resolves the experiment folder and the shards, then runs one
 * barrier stage of W tasks, one {@link RankTrainer} each. A failed barrier stage aborts its Spark
 * job, so the driver owns the retry loop: it runs the stage again, up to {@code
 * trainer.max_restarts} times, and every rank resumes from the newest valid checkpoint.
 */
public final class TrainJob {
  private TrainJob() {}

  /**
   * What a finished run reports.
   *
   * @param attempts stages run (1 + restarts)
   * @param ranks each rank's result of the last stage, by rank
   */
  public record Result(
      String versionDir, long stepsPerEpoch, long maxSteps, int attempts, List<RankResult> ranks) {
    public RankResult rank0() {
      return ranks.get(0);
    }
  }

  public static Result run(
      SparkSession spark, Storage storage, TrainOptions o, String cmdArgs, PrintStream out)
      throws IOException {
    Path versionDir = ExpManager.versionDir(storage, o, LocalDateTime.now());
    ExpManager.prepare(storage, versionDir, o.resolvedYaml(), cmdArgs);
    ShardSet train = ShardSet.resolve(storage, o.trainShards());
    ShardSet validation =
        o.validationShards().isEmpty() ? null : ShardSet.resolve(storage, o.validationShards());
    int w = o.worldSize();
    long perRank = o.split().samplesPerRank(train, w);
    long stepsPerEpoch = perRank / ((long) o.microBatchSize() * o.accumulation());
    if (stepsPerEpoch == 0) {
      throw new IllegalArgumentException(
          "Cannot train: each of the "
              + w
              + " ranks reads at least "
              + perRank
              + " samples per epoch ("
              + o.split().configName()
              + " over "
              + train.urls().size()
              + " shards, "
              + train.totalSamples()
              + " samples), fewer than one optimizer step needs (micro_batch_size "
              + o.microBatchSize()
              + " x accumulation "
              + o.accumulation()
              + ")");
    }
    long maxSteps = o.maxSteps() > 0 ? o.maxSteps() : stepsPerEpoch * o.maxEpochs();
    if (maxSteps <= 0) {
      throw new IllegalArgumentException(
          "Cannot train: set trainer.max_steps or trainer.max_epochs > 0");
    }
    out.printf(
        "train: %s, W=%d, %d samples in %d shards, %d steps/epoch, %d steps, global batch %d"
            + " (micro %d x %d ranks x %d accumulation)%n",
        versionDir,
        w,
        train.totalSamples(),
        train.urls().size(),
        stepsPerEpoch,
        maxSteps,
        o.globalBatchSize(),
        o.microBatchSize(),
        w,
        o.accumulation());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String session = "train-" + UUID.randomUUID().toString().substring(0, 8);
    List<Integer> ranks = new ArrayList<>();
    for (int r = 0; r < w; r++) {
      ranks.add(r);
    }
    for (int attempt = 0; ; attempt++) {
      TaskPlan plan =
          new TaskPlan(
              o,
              train,
              validation,
              stepsPerEpoch,
              maxSteps,
              versionDir.toString(),
              storage,
              attempt,
              session + "-a" + attempt);
      try {
        jsc.setJobDescription("train " + o.name() + " attempt " + attempt);
        RDD<Integer> input = jsc.parallelize(ranks, w).rdd();
        RDD<RankResult> stage =
            input
                .barrier()
                .mapPartitions(
                    new RankTask(plan), false, ClassTag$.MODULE$.apply(RankResult.class));
        RankResult[] results = (RankResult[]) stage.collect();
        List<RankResult> byRank = new ArrayList<>(Arrays.asList(results));
        byRank.sort(Comparator.comparingInt(RankResult::rank));
        RankResult r0 = byRank.get(0);
        out.printf(
            "train: done at step %d%s, loss %.4f, validation %s, %d steps skipped; %.2f s, of"
                + " which %.2f s all-reduce%n",
            r0.steps(),
            r0.resumedFrom() == null ? "" : " (resumed from " + r0.resumedFrom() + ")",
            r0.lastLoss(),
            r0.validation(),
            r0.skippedSteps(),
            r0.stageSeconds(),
            r0.commSeconds());
        return new Result(versionDir.toString(), stepsPerEpoch, maxSteps, attempt + 1, byRank);
      } catch (Exception e) {
        // Spark's own SparkException is checked but undeclared on collect().
        if (isConfigurationError(e) || attempt >= o.maxRestarts()) {
          throw new JobFailedException(
              "Cannot train "
                  + o.name()
                  + ": the training stage failed"
                  + (attempt > 0 ? " after " + attempt + " restarts" : "")
                  + ": "
                  + rootMessage(e),
              e);
        }
        out.printf(
            "train: attempt %d failed (%s); restarting from the latest checkpoint (%d of %d"
                + " restarts)%n",
            attempt, rootMessage(e), attempt + 1, o.maxRestarts());
        awaitCancelledTasks(spark, out);
      }
    }
  }

  /**
   * Spark fails a barrier job as soon as one task fails and only asks the others to stop; they may
   * still be running (in native code, or waiting on a peer) when the next attempt starts. Waiting
   * until no stage is active keeps two attempts from training at once.
   */
  private static void awaitCancelledTasks(SparkSession spark, PrintStream out) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (spark.sparkContext().statusTracker().getActiveStageIds().length > 0) {
      if (System.nanoTime() > deadline) {
        out.println("train: tasks of the failed attempt are still running after 120 s; going on");
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Errors a restart cannot fix: bad settings, not lost processes. */
  private static boolean isConfigurationError(Throwable e) {
    String m = rootMessage(e);
    return m.contains("Cannot build model")
        || m.contains("Cannot create optimizer")
        || m.contains("Cannot resume")
        || m.contains("Cannot train with")
        || m.contains("Cannot train on a GPU")
        || m.contains("NaN or infinite");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    String best = String.valueOf(e.getMessage());
    while (t != null) {
      if (t.getMessage() != null && t.getMessage().startsWith("Cannot ")) {
        best = t.getMessage();
      }
      t = t.getCause();
    }
    // Spark wraps task errors as "Job aborted due to stage failure: ... : <exception>: <message>".
    int at = best.indexOf("Cannot ");
    if (at > 0) {
      best = best.substring(at);
    }
    int nl = best.indexOf('\n');
    return nl > 0 ? best.substring(0, nl) : best;
  }
}
