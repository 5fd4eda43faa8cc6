package io.nautilus.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.shard.wds.WdsConfig;
import io.nautilus.shard.wds.WdsJob;
import io.nautilus.train.ckpt.Checkpoint;
import io.nautilus.train.ckpt.CheckpointIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train job on real local Spark: barrier stage, ring all-reduce, checkpoints, restarts. */
class TrainJobTest {
  private static final Path SAMPLE = Path.of("..", "data", "sample").toAbsolutePath().normalize();
  private static final Path CONF = Path.of("..", "conf", "train", "char_lm.yaml");
  private static SparkSession spark;
  private static Path shards;

  @TempDir static Path data;
  @TempDir Path tmp;

  @BeforeAll
  static void startSparkAndShard() {
    spark =
        SparkSession.builder()
            .master("local[4]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    shards = data.resolve("sft-train");
    for (String[] split : new String[][] {{"train", "sft-train"}, {"val", "sft-val"}}) {
      new WdsJob(spark, Storage.local(), quiet())
          .run(
              WdsConfig.options(
                  ConfigLoader.load(
                      WdsConfig.SCHEMA,
                      Path.of("..", "conf", "shard", "sft.yaml"),
                      List.of(
                          "input.manifests=[" + SAMPLE.resolve("sft/" + split[0] + ".jsonl") + "]",
                          "output.dir=" + data.resolve(split[1]),
                          "webdataset.maxcount=64"))),
              "x: 1\n");
    }
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private TrainJob.Result train(String... overrides) throws IOException {
    List<String> all = new ArrayList<>();
    all.add("model.train_ds.shards=[" + shards + "]");
    all.add("model.validation_ds.shards=[" + data.resolve("sft-val") + "]");
    all.add("exp_manager.exp_dir=" + tmp.resolve("exp"));
    all.add("trainer.log_every_n_steps=1");
    all.addAll(Arrays.asList(overrides));
    TrainOptions o = TrainConfig.options(ConfigLoader.load(TrainConfig.SCHEMA, CONF, all));
    return TrainJob.run(spark, Storage.local(), o, "test", quiet());
  }

  private static void assertSameParameters(
      Map<String, float[]> actual, Map<String, float[]> expected, double relTol) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String name : expected.keySet()) {
      float[] a = actual.get(name);
      float[] e = expected.get(name);
      double maxAbs = 0;
      double diff = 0;
      for (int i = 0; i < e.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(e[i]));
        diff = Math.max(diff, Math.abs(a[i] - e[i]));
      }
      assertThat(diff).as("max difference in %s", name).isLessThanOrEqualTo(relTol * maxAbs);
    }
  }

  private static final String[] STRIDE_RUN = {
    "model.train_ds.shard_strategy=stride",
    "model.train_ds.shuffle_n=0",
    "trainer.max_steps=6",
    "trainer.gradient_clip_val=0.0",
    "model.optim.sched.name=null",
    "model.validation_ds.shards=[]",
    "exp_manager.create_checkpoint_callback=false"
  };

  private String[] with(String[] base, String... more) {
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void twoRanksWithBatchBTrainLikeOneRankWithBatch2b() throws IOException {
    TrainJob.Result one =
        train(
            with(
                STRIDE_RUN,
                "trainer.devices=1",
                "model.micro_batch_size=8",
                "model.global_batch_size=8"));
    TrainJob.Result two =
        train(
            with(
                STRIDE_RUN,
                "trainer.devices=2",
                "model.micro_batch_size=4",
                "model.global_batch_size=8"));
    TrainJob.Result accumulated =
        train(
            with(
                STRIDE_RUN,
                "trainer.devices=1",
                "model.micro_batch_size=4",
                "model.global_batch_size=8"));
    assertThat(one.rank0().steps()).isEqualTo(6);
    assertThat(two.ranks()).hasSize(2);
    assertThat(two.rank0().steps()).isEqualTo(6);
    assertSameParameters(two.rank0().parameters(), one.rank0().parameters(), 1e-5);
    assertSameParameters(accumulated.rank0().parameters(), one.rank0().parameters(), 1e-5);
    assertThat(two.rank0().lastLoss()).isCloseTo(one.rank0().lastLoss(), within(1e-5));
    // Training moved the weights: the check above is not comparing two untouched inits.
    TrainJob.Result fewer =
        train(
            with(
                STRIDE_RUN,
                "trainer.devices=1",
                "model.micro_batch_size=8",
                "model.global_batch_size=8",
                "trainer.max_steps=5"));
    assertThatThrownBy(
            () -> assertSameParameters(fewer.rank0().parameters(), one.rank0().parameters(), 1e-5))
        .isInstanceOf(AssertionError.class);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  @Test
  void aFailedStageIsRestartedFromTheLatestCheckpointAndEndsWhereAnUninterruptedRunEnds()
      throws IOException {
    String[] run =
        with(
            STRIDE_RUN,
            "trainer.devices=2",
            "model.micro_batch_size=4",
            "model.global_batch_size=8",
            "trainer.max_steps=8",
            "exp_manager.create_checkpoint_callback=true",
            "exp_manager.checkpoint_callback_params.every_n_train_steps=2",
            "exp_manager.checkpoint_callback_params.monitor=train_loss");
    TrainJob.Result clean = train(with(run, "name=clean"));
    TrainJob.Result failed =
        train(with(run, "name=failed", "debug.fail_at_step=5", "debug.fail_rank=1"));
    assertThat(clean.attempts()).isEqualTo(1);
    assertThat(failed.attempts()).isEqualTo(2);
    assertThat(failed.rank0().resumedFrom()).contains("step=4");
    assertThat(failed.rank0().steps()).isEqualTo(8);
    assertSameParameters(failed.rank0().parameters(), clean.rank0().parameters(), 1e-6);
  }

  @Test
  void resumeIfExistsContinuesTheLatestVersionFromItsLastCheckpoint() throws IOException {
    String[] run =
        with(
            STRIDE_RUN,
            "trainer.devices=2",
            "model.micro_batch_size=4",
            "model.global_batch_size=8",
            "exp_manager.create_checkpoint_callback=true",
            "exp_manager.checkpoint_callback_params.monitor=train_loss");
    TrainJob.Result whole = train(with(run, "name=whole", "trainer.max_steps=8"));
    TrainJob.Result first = train(with(run, "name=parts", "trainer.max_steps=4"));
    TrainJob.Result second =
        train(
            with(
                run,
                "name=parts",
                "trainer.max_steps=8",
                "exp_manager.resume_if_exists=true",
                "exp_manager.resume_past_end=true"));
    assertThat(second.versionDir()).isEqualTo(first.versionDir());
    assertThat(second.rank0().resumedFrom()).contains("step=4").endsWith("-last.ckpt");
    assertSameParameters(second.rank0().parameters(), whole.rank0().parameters(), 1e-6);
  }

  @Test
  void theExperimentFolderHoldsConfigCommandCheckpointsAndMetrics() throws IOException {
    TrainJob.Result r = train("trainer.max_epochs=2", "name=layout", "exp_manager.ema.enable=true");
    Path dir = Path.of(java.net.URI.create(r.versionDir()));
    assertThat(dir.getParent().getFileName().toString()).isEqualTo("layout");
    assertThat(dir.getFileName().toString()).matches("\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d");
    assertThat(Files.readString(dir.resolve("hparams.yaml"))).contains("name: layout");
    assertThat(Files.readString(dir.resolve("cmd-args.log"))).isEqualTo("test\n");
    List<String> ckpts;
    try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
      ckpts = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(ckpts)
        .anyMatch(n -> n.matches("layout--val_loss=\\d+\\.\\d{4}-epoch=\\d+-step=\\d+\\.ckpt"));
    assertThat(ckpts).anyMatch(n -> n.endsWith("-last.ckpt"));
    String last = ckpts.stream().filter(n -> n.endsWith("-last.ckpt")).findFirst().orElseThrow();
    Checkpoint c =
        CheckpointIO.read(
            Storage.local(),
            new org.apache.hadoop.fs.Path(dir.resolve("checkpoints").resolve(last).toUri()));
    assertThat(c.meta().get("step")).isEqualTo(r.rank0().steps());
    List<String> model = c.tensors().keySet().stream().filter(k -> k.startsWith("model/")).toList();
    assertThat(model).isNotEmpty();
    for (String k : model) {
      String name = k.substring("model/".length());
      assertThat(c.tensors().get(k).data()).isEqualTo(r.rank0().parameters().get(name));
      // EMA weights (decay 0.999) lag behind the trained weights.
      assertThat(c.tensors().get("ema/" + name).data()).isNotEqualTo(c.tensors().get(k).data());
    }
    assertThat(c.tensors().keySet()).anyMatch(k -> k.startsWith("optim/"));
    List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
    assertThat(csv.get(0)).isEqualTo("step,tag,value,wall_time");
    assertThat(csv)
        .anyMatch(l -> l.contains(",train_loss,"))
        .anyMatch(l -> l.contains(",val_loss,"));
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("events.out.tfevents."));
    }
    // Two epochs of training beat the uniform guess ln(97) = 4.57 clearly.
    assertThat(r.rank0().validation().get("val_loss")).isLessThan(4.0);
  }

  @Test
  void aNanStepIsSkippedOnEveryRankAndTooManyInARowFailClearly() throws IOException {
    String[] run =
        with(
            STRIDE_RUN,
            "trainer.devices=2",
            "model.micro_batch_size=4",
            "model.global_batch_size=8",
            "trainer.max_steps=5");
    TrainJob.Result r = train(with(run, "debug.nonfinite_at_steps=[2]"));
    assertThat(r.rank0().skippedSteps()).isEqualTo(1);
    assertThat(r.ranks().get(1).skippedSteps()).isEqualTo(1);
    assertThat(r.rank0().steps()).isEqualTo(5);
    assertThatThrownBy(
            () ->
                train(with(run, "debug.nonfinite_at_steps=[1,2]", "trainer.max_nonfinite_steps=2")))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining(
            "Cannot train: 2 optimizer steps in a row had a NaN or infinite loss or gradient");
  }

  @Test
  void scatterOverUnequalShardsStopsEveryRankAtTheSmallestShareInsteadOfHanging()
      throws IOException {
    // 288 samples in shards of 64, 64, 64, 64, 32: rank 0 reads 192, rank 1 reads 96.
    TrainJob.Result r =
        train(
            "model.train_ds.shard_strategy=scatter",
            "model.train_ds.shuffle_n=16",
            "trainer.devices=2",
            "trainer.max_epochs=2",
            "model.micro_batch_size=4",
            "model.global_batch_size=8",
            "model.validation_ds.shards=[]",
            "exp_manager.create_checkpoint_callback=false");
    assertThat(r.stepsPerEpoch()).isEqualTo(96 / 4);
    assertThat(r.maxSteps()).isEqualTo(2 * 96 / 4);
    assertThat(r.ranks()).extracting(RankResult::steps).containsExactly(48L, 48L);
  }
}
