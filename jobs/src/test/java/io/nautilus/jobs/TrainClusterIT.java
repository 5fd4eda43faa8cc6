package io.nautilus.jobs;

import static io.nautilus.jobs.StandaloneClusterIT.opens;
import static io.nautilus.jobs.StandaloneClusterIT.property;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The train job from the cluster jar on a real multi-JVM standalone cluster, with one training
 * rank's executor JVM killed midway: the driver re-runs the barrier stage on the replacement
 * executor and the ranks resume from the last checkpoint, so the run ends complete.
 */
class TrainClusterIT {
  private static final Path WORK = Path.of("target/it/train-cluster").toAbsolutePath();
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

  @Test
  void aTrainingRankWhoseExecutorIsKilledIsRestartedAndTheRunCompletes() throws Exception {
    Path sparkHome = Path.of(property("nautilus.it.sparkHome")).toAbsolutePath().normalize();
    Path jar = Path.of(property("nautilus.it.clusterJar"));
    OutputFiles.deleteRecursively(WORK);
    Path shards = WORK.resolve("sft-train");
    assertThat(
            Main.run(
                "shard",
                "-c",
                LocalSample.REPO.resolve("conf/shard/sft.yaml").toString(),
                "--master",
                "local[2]",
                "input.manifests=[" + LocalSample.REPO.resolve("data/sample/sft/train.jsonl") + "]",
                "output.dir=" + shards,
                "webdataset.maxcount=64"))
        .isZero();
    Path exp = WORK.resolve("experiments");
    List<String> args =
        List.of(
            "train",
            "-c",
            LocalSample.REPO.resolve("conf/train/char_lm.yaml").toString(),
            "name=cluster",
            "trainer.devices=2",
            "trainer.max_steps=6",
            "trainer.log_every_n_steps=1",
            "model.micro_batch_size=4",
            "model.global_batch_size=8",
            "model.train_ds.shards=[" + shards + "]",
            "model.validation_ds.shards=[]",
            "exp_manager.exp_dir=" + exp,
            "exp_manager.checkpoint_callback_params.monitor=train_loss",
            "exp_manager.checkpoint_callback_params.every_n_train_steps=2",
            "debug.fail_at_step=3",
            "debug.fail_rank=1",
            "debug.fail_mode=exit");

    try (ChildProcesses processes = new ChildProcesses(Path.of("target/it-logs/train-cluster"))) {
      StandaloneCluster cluster = null;
      try {
        cluster = StandaloneCluster.start(sparkHome, WORK, 2, opens(), processes);
        ChildProcesses.Child train =
            cluster.submit("driver-train", jar, Main.class.getName(), args);
        assertThat(processes.await(train, JOB_TIMEOUT)).as("train's exit code").isZero();
        String log = ChildProcesses.log(train);
        assertThat(log)
            .contains("train: attempt 0 failed")
            .containsPattern("train: done at step 6 \\(resumed from \\S+step=2[-.]");

        List<Path> executorLogs = cluster.executorLogs();
        String all = String.join("\n", executorLogs.stream().map(TrainClusterIT::read).toList());
        assertThat(all).contains("debug.fail_at_step: rank 1 halts its JVM at step 3");
        // Two executors at the start, and a replacement for the killed one.
        assertThat(executorLogs).hasSizeGreaterThanOrEqualTo(3);

        Path checkpoints;
        try (Stream<Path> versions = Files.list(exp.resolve("cluster"))) {
          checkpoints = versions.findFirst().orElseThrow().resolve("checkpoints");
        }
        Set<String> names;
        try (Stream<Path> files = Files.list(checkpoints)) {
          names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertThat(names).anyMatch(n -> n.matches("cluster--train_loss=.*-step=6-last\\.ckpt"));
        assertThat(names).anyMatch(n -> n.endsWith("-end.ckpt"));
      } catch (Throwable t) {
        processes.printLogs(System.err, cluster == null ? List.of() : cluster.executorLogs());
        throw t;
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
