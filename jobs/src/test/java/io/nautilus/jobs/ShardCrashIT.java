package io.nautilus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Crash safety with a real process kill: a {@code shard} driver (./nautilus, its own JVM) gets
 * SIGKILL after its first shard is committed in staging; running the same command again must finish
 * and leave exactly what a clean run leaves, with no staging folder, temporary file or partial
 * shard of the killed run anywhere beside the output.
 */
class ShardCrashIT {
  private static final Path REPO = LocalSample.REPO;
  private static final Path WORK = Path.of("target/it/crash").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  // Enough resampled FLAC that writing takes seconds on two cores: a wide window for the kill.
  private static final int INPUT_COPIES = 16;
  private static final int SHARDS = 8;

  @Test
  void aShardRunKilledMidwayThenRunAgainEqualsACleanRunAndLeavesNoLeftovers() throws Exception {
    OutputFiles.deleteRecursively(WORK);
    Path prepared = LocalSample.preparedDev();
    Path runs = Files.createDirectories(WORK.resolve("runs"));
    Path output = runs.resolve("shards");

    try (ChildProcesses processes = new ChildProcesses(Path.of("target/it-logs/crash"))) {
      try {
        ChildProcesses.Child killed =
            processes.start("shard-killed", launcher(shardArgs(prepared, output)), env(), REPO);
        Path staging = awaitCommittedShardInStaging(killed, runs);
        ChildProcesses.kill(killed);
        assertThat(killed.process().exitValue()).as("exit code after SIGKILL").isEqualTo(137);
        assertThat(output).as("committed by the killed run").doesNotExist();
        assertThat(staging).isDirectoryContaining("regex:.*/audio_\\d+\\.tar");

        int entries = INPUT_COPIES * LocalSample.DEV_LINES;
        List<String> again = new ArrayList<>(shardArgs(prepared, output));
        again.add("--overwrite");
        ChildProcesses.Child rerun = processes.start("shard-rerun", launcher(again), env(), REPO);
        assertThat(processes.await(rerun, TIMEOUT)).as("exit code of the rerun").isZero();
        assertThat(ChildProcesses.log(rerun))
            .contains("note: removed " + staging + ", left by an earlier run that was stopped")
            .contains(
                String.format("shard: %1$d entries -> %1$d in %2$d shard(s)", entries, SHARDS));

        try (Stream<Path> beside = Files.list(runs)) {
          assertThat(beside).containsExactly(output);
        }
        assertThat(OutputFiles.tree(output))
            .noneMatch(f -> f.contains(".tmp-") || f.contains(".staging-") || f.startsWith("_"));

        Path clean = WORK.resolve("clean").resolve("shards");
        assertThat(Main.run(shardArgs(prepared, clean).toArray(String[]::new))).isZero();
        assertThat(OutputFiles.tree(output)).isEqualTo(OutputFiles.tree(clean));
        Map<String, String> files = OutputFiles.sha256(output, ShardCrashIT::locationFree);
        assertThat(files)
            .containsKeys("audio_0.tar", "audio_7.tar", "tarred_audio_manifest.json")
            .isEqualTo(OutputFiles.sha256(clean, ShardCrashIT::locationFree));
        assertThat(OutputFiles.linesOfRun(output.resolve("metadata.yaml"), runs, "created_"))
            .isEqualTo(
                OutputFiles.linesOfRun(
                    clean.resolve("metadata.yaml"), clean.getParent(), "created_"));
        assertThat(Main.run("verify", output.toString()))
            .as("verify of the rerun's output")
            .isZero();
      } catch (Throwable t) {
        processes.printLogs(System.err, List.of());
        throw t;
      }
    }
  }

  private static List<String> shardArgs(Path prepared, Path output) {
    String inputs = String.join(",", Collections.nCopies(INPUT_COPIES, prepared.toString()));
    return List.of(
        "shard",
        "-c",
        LocalSample.SHARD_CONF.toString(),
        "--master",
        "local[2]",
        "input.prepared=[" + inputs + "]",
        "output.dir=" + output,
        "shard.num_shards=" + SHARDS,
        "audio.codec=flac",
        "audio.sample_rate=16000");
  }

  /** The user's command: the ./nautilus launcher, which execs the JVM (same PID). */
  private static List<String> launcher(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("nautilus").toString()));
    cmd.addAll(args);
    return cmd;
  }

  private static Map<String, String> env() {
    return Map.of("NAUTILUS_SKIP_BUILD", "1", "NAUTILUS_JAVA_OPTS", "-Xmx1g");
  }

  /** Polls until a staging folder beside the output holds a committed shard; returns it. */
  private static Path awaitCommittedShardInStaging(ChildProcesses.Child run, Path runs)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!run.process().isAlive()) {
        throw new AssertionError(
            "Cannot kill the shard run midway: it exited with "
                + run.process().exitValue()
                + " before a staging folder held a committed shard");
      }
      Optional<Path> staging = stagingWithCommittedShard(runs);
      if (staging.isPresent()) {
        return staging.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("Cannot kill the shard run midway: no shard committed in " + TIMEOUT);
  }

  private static Optional<Path> stagingWithCommittedShard(Path runs) throws IOException {
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path d :
          dirs.filter(p -> p.getFileName().toString().startsWith(".shards.staging-")).toList()) {
        try (Stream<Path> files = Files.list(d)) {
          if (files.anyMatch(f -> f.getFileName().toString().matches("audio_\\d+\\.tar"))) {
            return Optional.of(d);
          }
        } catch (java.nio.file.NoSuchFileException vanished) {
          // Listed a moment ago and gone now: not the one to wait for.
        }
      }
    }
    return Optional.empty();
  }

  private static boolean locationFree(String file) {
    return !file.equals("metadata.yaml") && !file.equals("config.yaml");
  }
}
