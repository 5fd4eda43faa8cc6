package io.nautilus.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranks as separate JVMs, as on a cluster: one exactness check and one real crash. */
class MultiProcessTest {
  private static final int WORLD = 3;
  private static final int LENGTH = 1_000_003;

  @TempDir Path dir;

  /** The ranks' processes and every line they print, tagged with the rank. */
  private final List<Process> processes = new ArrayList<>();

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private void start(String... modes) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int rank = 0; rank < modes.length; rank++) {
      Process p =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  RankProcess.class.getName(),
                  dir.toString(),
                  String.valueOf(modes.length),
                  String.valueOf(rank),
                  modes[rank],
                  String.valueOf(LENGTH))
              .redirectErrorStream(true)
              .start();
      processes.add(p);
      int r = rank;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    lines.add(r + ": " + line);
                  }
                } catch (Exception e) {
                  lines.add(r + ": (output lost: " + e + ")");
                }
              });
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Waits for {@code count} lines starting with one of {@code prefixes} (after "r: "). */
  private List<String> await(int count, String prefix) throws InterruptedException {
    List<String> found = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (found.size() < count) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("waited 30 s for " + count + " '" + prefix + "' lines: " + found);
      }
      if (line.substring(line.indexOf(": ") + 2).startsWith(prefix)) {
        found.add(line);
      }
    }
    return found;
  }

  private void stopAll() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }

  @Test
  void ranksInSeparateJvmsEndWithTheSameExactSum() throws Exception {
    try {
      start("sum", "sum", "sum");
      List<String> results = await(WORLD, "RESULT ");
      float[] expected = RingReference.ringOrderSum(RingReference.randomInputs(WORLD, LENGTH, 42));
      String digest = RankProcess.digest(expected);
      assertThat(results)
          .extracting(l -> l.substring(l.indexOf("RESULT ") + 7))
          .containsOnly(digest);
      for (Process p : processes) {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      }
    } finally {
      stopAll();
    }
  }

  @Test
  void killingOneRankProcessFailsTheOthersPromptlyNamingIt() throws Exception {
    try {
      start("sum", "sum", "idle");
      await(WORLD, "JOINED ");
      await(2, "ENTERING ");
      Thread.sleep(300); // ranks 0 and 1 are inside the all-reduce, waiting on rank 2
      long killed = System.nanoTime();
      processes.get(2).destroyForcibly();
      List<String> failures = await(2, "FAILED ");
      double seconds = (System.nanoTime() - killed) / 1e9;
      assertThat(seconds).isLessThan(10); // far below the 30 s operation timeout
      for (String f : failures) {
        assertThat(f)
            .matches(
                "[01]: FAILED 2 Cannot all-reduce of 1000003 floats \\(op 1\\): rank 2 \\(127\\.0\\.0\\.1:\\d+\\) closed the connection.*");
      }
      for (int rank = 0; rank < 2; rank++) {
        assertThat(processes.get(rank).waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(processes.get(rank).exitValue()).isEqualTo(3);
      }
    } finally {
      stopAll();
    }
  }
}
