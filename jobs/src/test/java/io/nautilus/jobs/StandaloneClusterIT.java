package io.nautilus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar under spark-submit on a real multi-JVM Spark standalone cluster (a Master, two
 * Workers, one executor JVM each), whose classpath is Spark's own jars only: the jar must bring
 * everything else and clash with nothing there. Its outputs must equal an in-process local run's.
 */
class StandaloneClusterIT {
  private static final Path WORK = Path.of("target/it/cluster").toAbsolutePath();
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
  // Resampled FLAC: the audio code paths run on the executors, not only the tar writer.
  private static final List<String> SHARD_SETTINGS =
      List.of("shard.num_shards=2", "audio.codec=flac", "audio.sample_rate=16000");

  static String property(String name) {
    String v = System.getProperty(name);
    if (v == null) {
      throw new IllegalStateException(
          "Cannot run "
              + name
              + "-based integration tests: run them with 'mvn -Pcluster-it verify'");
    }
    return v;
  }

  static List<String> opens() {
    return Arrays.asList(property("nautilus.it.opens").trim().split("\\s+"));
  }

  @Test
  void prepareAndShardOnAStandaloneClusterWriteWhatALocalRunWrites() throws Exception {
    Path sparkHome = Path.of(property("nautilus.it.sparkHome")).toAbsolutePath().normalize();
    Path jar = Path.of(property("nautilus.it.clusterJar"));
    assertThat(jar).isRegularFile();
    assertThat(sparkHome.resolve("jars"))
        .as("the cluster's Spark must be the one the jobs are built against")
        .isDirectoryContaining(
            "glob:**/spark-core_2.12-" + property("nautilus.it.sparkVersion") + ".jar")
        .isDirectoryNotContaining("glob:**/nautilus-*");
    OutputFiles.deleteRecursively(WORK);
    Path local = LocalSample.preparedDev().getParent();
    Path onCluster = Files.createDirectories(WORK.resolve("cluster"));
    assertThat(Main.run(shardArgs(local, "--master", "local[2]").toArray(String[]::new))).isZero();

    try (ChildProcesses processes = new ChildProcesses(Path.of("target/it-logs/cluster"))) {
      StandaloneCluster cluster = null;
      try {
        cluster = StandaloneCluster.start(sparkHome, WORK, 2, opens(), processes);
        ChildProcesses.Child prepare =
            cluster.submit("driver-prepare", jar, Main.class.getName(), prepareArgs(onCluster));
        assertThat(processes.await(prepare, JOB_TIMEOUT)).as("prepare's exit code").isZero();
        assertThat(ChildProcesses.log(prepare))
            .contains("prepare: 10 input lines from 1 manifest(s): 10 accepted");
        ChildProcesses.Child shard =
            cluster.submit("driver-shard", jar, Main.class.getName(), shardArgs(onCluster));
        assertThat(processes.await(shard, JOB_TIMEOUT)).as("shard's exit code").isZero();
        assertThat(ChildProcesses.log(shard)).contains("shard: 10 entries -> 10 in 2 shard(s)");

        assertRanOnTwoExecutorsPerJob(cluster.executorLogs());
        assertSameOutputs(local, onCluster);
      } catch (Throwable t) {
        processes.printLogs(System.err, cluster == null ? List.of() : cluster.executorLogs());
        throw t;
      }
    }
  }

  private static List<String> prepareArgs(Path dir) {
    return List.of(
        "prepare",
        "-c",
        LocalSample.PREPARE_CONF.toString(),
        "input.manifests=[" + LocalSample.DEV_MANIFEST + "]",
        "output.dir=" + dir.resolve("prepared"));
  }

  private static List<String> shardArgs(Path dir, String... flags) {
    List<String> a = new ArrayList<>(List.of("shard", "-c", LocalSample.SHARD_CONF.toString()));
    a.addAll(List.of(flags));
    a.add("input.prepared=[" + dir.resolve("prepared") + "]");
    a.add("output.dir=" + dir.resolve("shards"));
    a.addAll(SHARD_SETTINGS);
    return a;
  }

  /** Two applications, each with an executor JVM on each Worker that ran tasks. */
  private static void assertRanOnTwoExecutorsPerJob(List<Path> executorLogs) throws Exception {
    Map<String, List<Path>> byApp =
        executorLogs.stream()
            .collect(
                Collectors.groupingBy(p -> p.getParent().getParent().getFileName().toString()));
    assertThat(byApp).as("applications the Workers ran").hasSize(2);
    for (List<Path> logs : byApp.values()) {
      Set<String> workers =
          logs.stream()
              .map(p -> p.getParent().getParent().getParent().getFileName().toString())
              .collect(Collectors.toSet());
      assertThat(workers).containsExactlyInAnyOrder("worker-1", "worker-2");
      for (Path log : logs) {
        assertThat(Files.readString(log)).as(log.toString()).contains("Running task");
      }
    }
  }

  private static void assertSameOutputs(Path local, Path onCluster) throws Exception {
    Path lp = local.resolve("prepared");
    Path cp = onCluster.resolve("prepared");
    assertThat(Files.readAllLines(cp.resolve("manifest.json")))
        .hasSize(LocalSample.DEV_LINES)
        .isEqualTo(Files.readAllLines(lp.resolve("manifest.json")));
    assertThat(cp.resolve("rejects/rejects.json"))
        .hasSameBinaryContentAs(lp.resolve("rejects/rejects.json"));
    assertThat(OutputFiles.linesOfRun(cp.resolve("stats.json"), onCluster, "\"elapsed_seconds\""))
        .isEqualTo(OutputFiles.linesOfRun(lp.resolve("stats.json"), local, "\"elapsed_seconds\""));

    Path ls = local.resolve("shards");
    Path cs = onCluster.resolve("shards");
    assertThat(OutputFiles.tree(cs)).isEqualTo(OutputFiles.tree(ls));
    // metadata.yaml, config.yaml and shard_state.json name the run's own folders and time (the
    // state: its input folder); all else is equal.
    Map<String, String> clusterFiles = OutputFiles.sha256(cs, StandaloneClusterIT::locationFree);
    assertThat(clusterFiles)
        .containsKeys("audio_0.tar", "audio_1.tar", "sharded_manifests/manifest_1.json")
        .containsKeys("tarred_audio_manifest.json", "shard_index.json", "shard_stats.json")
        .isEqualTo(OutputFiles.sha256(ls, StandaloneClusterIT::locationFree));
    assertThat(OutputFiles.linesOfRun(cs.resolve("metadata.yaml"), onCluster, "created_datetime:"))
        .isEqualTo(OutputFiles.linesOfRun(ls.resolve("metadata.yaml"), local, "created_datetime:"));
    assertThat(OutputFiles.linesOfRun(cs.resolve("config.yaml"), onCluster, "master:"))
        .isEqualTo(OutputFiles.linesOfRun(ls.resolve("config.yaml"), local, "master:"));
  }

  private static boolean locationFree(String file) {
    return !file.equals("metadata.yaml")
        && !file.equals("config.yaml")
        && !file.equals("shard_state.json");
  }
}
