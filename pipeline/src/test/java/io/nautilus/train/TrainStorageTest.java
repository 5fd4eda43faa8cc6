package io.nautilus.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.nautilus.config.ConfigLoader;
import io.nautilus.io.PendingSet;
import io.nautilus.io.S3MockServer;
import io.nautilus.io.Storage;
import io.nautilus.shard.wds.WdsConfig;
import io.nautilus.shard.wds.WdsJob;
import io.nautilus.train.ckpt.Checkpoint;
import io.nautilus.train.ckpt.CheckpointIO;
import io.nautilus.train.metrics.EventFileDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train job with its shards and experiment folder on a real HDFS (MiniDFSCluster) and a real S3
 * endpoint (S3Mock through S3A): a rank fails midway, the driver restarts the stage, and the ranks
 * resume from the checkpoint on the store and end where a clean local run ends.
 */
class TrainStorageTest {
  private static final java.nio.file.Path SAMPLE =
      java.nio.file.Path.of("..", "data", "sample").toAbsolutePath().normalize();
  private static final java.nio.file.Path CONF = java.nio.file.Path.of("..", "conf", "train");
  // S3A caches file systems by bucket: a bucket of its own keeps this endpoint's settings.
  private static final String BUCKET = "nautilus-train";
  private static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  /** A run that checkpoints every 2 steps; the failing variant loses rank 1 at step 3. */
  private static final List<String> RUN =
      List.of(
          "name=stored",
          "model.train_ds.shard_strategy=stride",
          "model.train_ds.shuffle_n=0",
          "model.validation_ds.shards=[]",
          "trainer.devices=2",
          "trainer.max_steps=6",
          "trainer.log_every_n_steps=1",
          "trainer.gradient_clip_val=0.0",
          "model.optim.sched.name=null",
          "model.micro_batch_size=4",
          "model.global_batch_size=8",
          "exp_manager.checkpoint_callback_params.every_n_train_steps=2",
          "exp_manager.checkpoint_callback_params.monitor=train_loss");

  private static final List<String> FAULT = List.of("debug.fail_at_step=3", "debug.fail_rank=1");

  @TempDir static java.nio.file.Path tmp;
  private static MiniDFSCluster hdfs;
  private static S3MockServer s3;
  private static SparkSession spark;
  private static Storage storage;
  private static TrainJob.Result clean;
  private static List<String> cleanCheckpoints;
  private static Path localShards;

  @BeforeAll
  static void startStoresAndTrainLocally() throws IOException, InterruptedException {
    // S3Mock boots in a JVM of its own: let it start while HDFS does.
    FutureTask<S3MockServer> starting =
        new FutureTask<>(() -> S3MockServer.start(tmp.resolve("s3"), BUCKET));
    new Thread(starting, "s3mock-start").start();
    Configuration dfs = new Configuration();
    dfs.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    try {
      hdfs = new MiniDFSCluster.Builder(dfs).numDataNodes(1).build();
    } finally {
      s3 = started(starting);
    }

    Configuration conf = new Configuration(false);
    s3.configure(conf, "train-test-secret");
    // A one-DataNode cluster rarely has a closed file complete on the client's first ask, and the
    // default wait before asking again is 400 ms per file.
    conf.set("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20");
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2");
    conf.forEach(e -> b.config("spark.hadoop." + e.getKey(), e.getValue()));
    spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    storage = Storage.of(spark.sparkContext().hadoopConfiguration());

    String localBase = storage.qualify(tmp.resolve("local").toString()).toString();
    localShards = new Path(localBase, "sft-train");
    shard(localShards.toString());
    clean = train(localBase, List.of());
    cleanCheckpoints = checkpointNames(clean.versionDir());
  }

  private static S3MockServer started(FutureTask<S3MockServer> starting)
      throws IOException, InterruptedException {
    try {
      return starting.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("Cannot start S3Mock: " + e.getCause().getMessage(), e);
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      try {
        if (s3 != null) {
          s3.close();
        }
      } finally {
        if (hdfs != null) {
          hdfs.shutdown();
        }
      }
    }
  }

  private static void shard(String outputDir) {
    new WdsJob(spark, storage, QUIET)
        .run(
            WdsConfig.options(
                ConfigLoader.load(
                    WdsConfig.SCHEMA,
                    java.nio.file.Path.of("..", "conf", "shard", "sft.yaml"),
                    List.of(
                        "input.manifests=[" + SAMPLE.resolve("sft/train.jsonl") + "]",
                        "output.dir=" + outputDir,
                        "webdataset.maxcount=64"))),
            "x: 1\n");
  }

  /** Trains on {@code base/sft-train} into {@code base/exp}. */
  private static TrainJob.Result train(String base, List<String> more) throws IOException {
    List<String> all = new ArrayList<>(RUN);
    all.add("model.train_ds.shards=[" + base + "/sft-train]");
    all.add("exp_manager.exp_dir=" + base + "/exp");
    all.addAll(more);
    TrainOptions o =
        TrainConfig.options(
            ConfigLoader.load(TrainConfig.SCHEMA, CONF.resolve("char_lm.yaml"), all));
    return TrainJob.run(spark, storage, o, "train-storage-test", QUIET);
  }

  private static List<String> checkpointNames(String versionDir) throws IOException {
    Path dir = new Path(versionDir, "checkpoints");
    return Arrays.stream(storage.fs(dir).listStatus(dir))
        .map(s -> s.getPath().getName())
        .sorted()
        .toList();
  }

  private static List<String> fileNames(String versionDir) throws IOException {
    Path dir = new Path(versionDir);
    return Arrays.stream(storage.fs(dir).listStatus(dir))
        .filter(FileStatus::isFile)
        .map(s -> s.getPath().getName())
        .sorted()
        .toList();
  }

  /**
   * Publishes a copy of a local shard set on the store through the store's own commit protocol, so
   * it is there the way {@code shard} leaves it: renamed into place on HDFS, with its commit marker
   * on S3.
   */
  private static void upload(Path from, Path to) throws IOException {
    FileSystem source = storage.fs(from);
    try (PendingSet set = storage.beginSet(to)) {
      FileSystem target = storage.fs(set.dir());
      for (FileStatus f : source.listStatus(from)) {
        assertThat(
                FileUtil.copy(
                    source,
                    f.getPath(),
                    target,
                    new Path(set.dir(), f.getPath().getName()),
                    false,
                    storage.hadoopConf()))
            .isTrue();
      }
      set.commit();
    }
  }

  /** Shards on the store, a fault at step 3, and everything the run wrote read back from it. */
  private static void trainOnTheStoreThroughAFault(String base) throws IOException {
    upload(localShards, new Path(base, "sft-train"));
    TrainJob.Result r = train(base, FAULT);

    assertThat(r.versionDir()).startsWith(base + "/exp/stored/");
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.rank0().steps()).isEqualTo(6);
    assertThat(r.rank0().resumedFrom())
        .startsWith(r.versionDir() + "/checkpoints/stored--")
        .contains("-step=2")
        .endsWith(".ckpt");
    assertSameParameters(r.rank0().parameters(), clean.rank0().parameters(), 1e-6);

    List<String> files = fileNames(r.versionDir());
    assertThat(files)
        .contains("hparams.yaml", "cmd-args.log", "metrics.csv", "metrics.restart1.csv")
        .anyMatch(n -> n.startsWith("events.out.tfevents."));
    assertThat(storage.readString(new Path(r.versionDir(), "hparams.yaml")))
        .contains("name: stored");
    assertThat(storage.readString(new Path(r.versionDir(), "cmd-args.log")))
        .isEqualTo("train-storage-test\n");
    String events =
        files.stream()
            .filter(n -> n.startsWith("events.out.tfevents.") && n.endsWith(".1"))
            .findFirst()
            .orElseThrow();
    byte[] eventBytes;
    try (InputStream in = storage.open(new Path(r.versionDir(), events))) {
      eventBytes = in.readAllBytes();
    }
    assertThat(
            EventFileDecoder.decode(eventBytes).stream()
                .filter(e -> "train_loss".equals(e.tag()))
                .map(EventFileDecoder.Event::step))
        .containsExactly(3L, 4L, 5L, 6L);
    List<String> csv =
        storage.readString(new Path(r.versionDir(), "metrics.restart1.csv")).lines().toList();
    assertThat(csv.get(0)).isEqualTo("step,tag,value,wall_time");
    // The restarted stage logs from step 3 on: it resumed at step 2.
    assertThat(csv.get(1)).startsWith("3,train_loss,");

    List<String> checkpoints = checkpointNames(r.versionDir());
    assertThat(checkpoints)
        .isEqualTo(cleanCheckpoints)
        .anyMatch(n -> n.matches("stored--train_loss=\\d+\\.\\d{4}-epoch=\\d+-step=6-last\\.ckpt"));
    for (String name : checkpoints) {
      // read verifies the checksum; the weights must be those the clean run saved at that step.
      Checkpoint stored =
          CheckpointIO.read(storage, new Path(r.versionDir(), "checkpoints/" + name));
      Checkpoint local =
          CheckpointIO.read(storage, new Path(clean.versionDir(), "checkpoints/" + name));
      long step = Long.parseLong(name.replaceAll(".*-step=(\\d+).*", "$1"));
      assertThat(stored.metaLong("step", -1)).as(name).isEqualTo(step);
      assertSameParameters(weights(stored), weights(local), 1e-6);
    }
  }

  private static Map<String, float[]> weights(Checkpoint c) {
    Map<String, float[]> out = new LinkedHashMap<>();
    c.group(Checkpoint.MODEL).forEach((name, t) -> out.put(name, t.data()));
    return out;
  }

  private static void assertSameParameters(
      Map<String, float[]> actual, Map<String, float[]> expected, double relTol) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    Map<String, Double> over = new TreeMap<>();
    for (String name : expected.keySet()) {
      float[] a = actual.get(name);
      float[] e = expected.get(name);
      double maxAbs = 0;
      double diff = 0;
      for (int i = 0; i < e.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(e[i]));
        diff = Math.max(diff, Math.abs(a[i] - e[i]));
      }
      if (diff > relTol * maxAbs) {
        over.put(name, diff / maxAbs);
      }
    }
    assertThat(over).as("relative differences above " + relTol).isEmpty();
  }

  @Test
  void aRunOnHdfsRestartsFromItsHdfsCheckpointAndEndsLikeACleanLocalRun() throws IOException {
    trainOnTheStoreThroughAFault(hdfs.getURI() + "/run");
  }

  @Test
  void aRunOnS3RestartsFromItsS3CheckpointAndEndsLikeACleanLocalRun() throws IOException {
    trainOnTheStoreThroughAFault("s3a://" + BUCKET + "/run");
  }
}
