package io.nautilus.run;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;

/**
 * Prints one line per active stage every few seconds while a job runs, so long runs show they are
 * moving: the job description (set per step), tasks done out of total, and time so far.
 */
public final class Progress implements AutoCloseable {
  private final Thread thread;
  private final SparkContext sc;
  private final PrintStream out;
  private final long start = System.nanoTime();
  // -Dnautilus.timings=true prints when each step starts (used by the benchmarks).
  private final boolean timings = Boolean.getBoolean("nautilus.timings");
  private volatile boolean running = true;
  private volatile String step = "starting";

  private Progress(SparkContext sc, PrintStream out, long periodMillis) {
    this.sc = sc;
    this.out = out;
    long start = System.nanoTime();
    thread =
        new Thread(
            () -> {
              SparkStatusTracker tracker = sc.statusTracker();
              while (running) {
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  return;
                }
                for (int stageId : tracker.getActiveStageIds()) {
                  SparkStageInfo s = tracker.getStageInfo(stageId).getOrElse(() -> null);
                  if (s == null) {
                    continue;
                  }
                  out.printf(
                      Locale.ROOT,
                      "  [%5.0fs] %s: stage %d, %d/%d tasks done, %d running%n",
                      (System.nanoTime() - start) / 1e9,
                      step,
                      stageId,
                      s.numCompletedTasks(),
                      s.numTasks(),
                      s.numActiveTasks());
                }
              }
            },
            "nautilus-progress");
    thread.setDaemon(true);
  }

  /** Starts reporting to {@code out} every {@code periodMillis} ms until closed. */
  public static Progress start(SparkContext sc, PrintStream out, long periodMillis) {
    Progress p = new Progress(sc, out, periodMillis);
    p.thread.start();
    return p;
  }

  /**
   * Names what the caller's thread does next: shown in progress lines and, as the job description
   * and group, in the Spark UI.
   */
  public void step(String description) {
    if (timings) {
      out.printf(Locale.ROOT, "  [%5.1fs] %s%n", (System.nanoTime() - start) / 1e9, description);
    }
    step = description;
    sc.setJobGroup("nautilus", description, false);
    sc.setJobDescription(description);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
