package io.nautilus.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.config.Config;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.run.UsageException;
import io.nautilus.shard.WidsIndex;
import io.nautilus.shard.job.ShardConfig;
import io.nautilus.shard.job.ShardJob;
import io.nautilus.shard.job.ShardVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepare, shard and verify with inputs and outputs on a real S3 endpoint (S3Mock on loopback),
 * through S3A with a planted secret key that must never be shown.
 */
class S3StorageTest {
  private static final String SECRET = "PLANTED-SECRET-1234";
  private static final String BUCKET = "nautilus";
  private static final String BASE = "s3a://" + BUCKET + "/run";

  @TempDir static Path tmp;
  private static final ByteArrayOutputStream jobOutput = new ByteArrayOutputStream();
  private static final PrintStream JOB_OUT =
      new PrintStream(jobOutput, true, StandardCharsets.UTF_8);
  private static S3MockServer s3;
  private static LogCapture logs;
  private static SparkSession spark;
  private static Storage storage;
  private static StoreRoundTrip.Outcome local;
  private static StoreRoundTrip.Outcome onS3;

  @BeforeAll
  static void runLocallyAndOnS3() throws IOException, InterruptedException {
    s3 = S3MockServer.start(tmp.resolve("s3"), BUCKET);
    logs = LogCapture.start();
    Configuration conf = new Configuration(false);
    s3.configure(conf, SECRET);
    Map<String, String> hadoop = new TreeMap<>();
    conf.forEach(e -> hadoop.put(e.getKey(), e.getValue()));
    spark = StoreRoundTrip.spark(hadoop);
    storage = Storage.of(spark.sparkContext().hadoopConfiguration());
    local = StoreRoundTrip.local(spark, tmp, JOB_OUT);
    StoreRoundTrip.upload(storage, BASE);
    // The secret also travels in the job config, as a user would pass it: spark.conf keys.
    onS3 =
        StoreRoundTrip.run(
            spark,
            storage,
            BASE,
            JOB_OUT,
            List.of("+spark.conf.spark.hadoop.fs.s3a.secret.key=" + SECRET));
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (logs != null) {
        logs.close();
        Files.writeString(Path.of("target", "S3StorageTest-captured.log"), logs.text());
      }
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  private static org.apache.hadoop.fs.Path path(String location) {
    return new org.apache.hadoop.fs.Path(location);
  }

  /** Copies a set to another place in the bucket, marker and all. */
  private static void copy(String from, String to) throws IOException {
    FileSystem fs = storage.fs(path(from));
    assertThat(FileUtil.copy(fs, path(from), fs, path(to), false, storage.hadoopConf())).isTrue();
  }

  @Test
  void thePreparedManifestStatsAndRemainderOnS3EqualTheLocalOnes() {
    assertThat(onS3.manifest()).startsWith("{\"audio_filepath\":\"<base>/asr/wavs/");
    assertThat(onS3.manifest()).isEqualTo(local.manifest());
    assertThat(onS3.stats()).isEqualTo(local.stats());
    assertThat(onS3.stats().get("accepted").asLong()).isPositive();
    assertThat(onS3.remainder()).isEqualTo(local.remainder());
  }

  @Test
  void theShardsOnS3AreByteIdenticalToTheLocalOnes() {
    assertThat(onS3.shards())
        .containsKeys(
            "audio_0.tar",
            "audio_2.tar",
            "sharded_manifests/manifest_2.json",
            "tarred_audio_manifest.json",
            "shard_index.json")
        .isEqualTo(local.shards());
  }

  @Test
  void verifyFindsTheS3ShardSetSound() {
    assertThat(onS3.report().problems()).isEmpty();
    assertThat(onS3.report().shards()).isEqualTo(StoreRoundTrip.NUM_SHARDS);
    assertThat(onS3.report().samples()).isEqualTo(local.report().samples()).isPositive();
  }

  @Test
  void everySetOnS3HasAMarkerListingEachOfItsFilesWithSizeAndMd5() throws IOException {
    org.apache.hadoop.fs.Path shards = path(BASE + "/shards");
    assertThat(storage.protocol(shards).name()).isEqualTo("marker");
    CommitMarker marker = storage.readMarker(shards);
    assertThat(marker.byPath().keySet())
        .containsAll(onS3.shards().keySet())
        .contains(ShardJob.METADATA, ShardJob.CONFIG, ShardJob.REMAINDER)
        .doesNotContain(CommitProtocol.MARKER);
    assertThat(marker.check(storage.fs(shards), shards, name -> true)).isEmpty();
    WidsIndex index;
    try (InputStream in = storage.open(path(BASE + "/shards/" + ShardJob.INDEX))) {
      index = WidsIndex.read(in);
    }
    for (WidsIndex.Shard s : index.shards()) {
      assertThat(marker.byPath().get(s.url()))
          .isEqualTo(new CommitMarker.Entry(s.url(), s.filesize(), s.md5sum()));
    }

    org.apache.hadoop.fs.Path prepared = path(BASE + "/prepared");
    CommitMarker preparedMarker = storage.readMarker(prepared);
    assertThat(preparedMarker.byPath().keySet())
        .contains(PrepareJob.MANIFEST, PrepareJob.REJECTS, PrepareJob.STATS, PrepareJob.CONFIG)
        .anyMatch(p -> p.startsWith(PrepareJob.ACCEPTED + "/part-"))
        .noneMatch(p -> p.contains("_parts/") || p.contains("_temporary"));
    assertThat(preparedMarker.check(storage.fs(prepared), prepared, name -> true)).isEmpty();
  }

  @Test
  void aShardSetWithoutItsMarkerIsNotThereForVerify() throws IOException {
    String unmarked = BASE + "/unmarked-shards";
    copy(BASE + "/shards", unmarked);
    assertThat(new ShardVerifier(storage).verify(unmarked).problems()).isEmpty();

    storage.fs(path(unmarked)).delete(path(unmarked + "/" + CommitProtocol.MARKER), false);
    assertThat(storage.setState(path(unmarked))).isEqualTo(SetState.UNCOMMITTED);
    assertThat(new ShardVerifier(storage).verify(unmarked).problems())
        .containsExactly(
            "no shard set at "
                + unmarked
                + ": files but no commit marker (_NAUTILUS_COMMITTED), so the run that wrote them"
                + " did not finish; run shard again");
  }

  @Test
  void verifyReportsAFileThatIsNotPartOfTheCommittedSet() throws IOException {
    String stray = BASE + "/stray-shards";
    copy(BASE + "/shards", stray);
    storage.writeString(path(stray + "/audio_7.tar"), "not a tar");
    assertThat(new ShardVerifier(storage).verify(stray).problems())
        .containsExactlyInAnyOrder(
            "audio_7.tar: not part of the committed set (not in _NAUTILUS_COMMITTED)",
            "stray-shards/audio_7.tar: a tar that the index does not list");
  }

  @Test
  void aPreparedDatasetWithoutItsMarkerIsRefusedByShard() throws IOException {
    String unmarked = BASE + "/unmarked-prepared";
    copy(BASE + "/prepared", unmarked);
    storage.fs(path(unmarked)).delete(path(unmarked + "/" + CommitProtocol.MARKER), false);
    List<String> o =
        List.of("input.prepared=[" + unmarked + "]", "output.dir=" + BASE + "/never-written");
    Config c = io.nautilus.config.ConfigLoader.load(ShardConfig.SCHEMA, null, o);
    assertThatThrownBy(() -> new ShardJob(spark, storage, JOB_OUT).run(ShardConfig.options(c), ""))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot read prepared dataset "
                + unmarked
                + ": it has no commit marker (_NAUTILUS_COMMITTED): the run writing it failed or"
                + " has not finished, so it counts as absent; run prepare to write it");
    assertThat(storage.exists(path(BASE + "/never-written"))).isFalse();
  }

  @Test
  void aWriterThatFailsLeavesNoObjectAndOneThatPublishesLeavesItWhole() throws IOException {
    org.apache.hadoop.fs.Path target = path(BASE + "/attempts/audio_0.tar");
    byte[] block = new byte[256 * 1024];
    try (AttemptFile f = storage.createFile(target, "1")) {
      for (int i = 0; i < 8; i++) {
        f.stream().write(block);
      }
    }
    assertThat(storage.exists(target)).isFalse();

    try (AttemptFile f = storage.createFile(target, "2")) {
      f.stream().write(block);
      f.publish();
    }
    assertThat(storage.fs(target).getFileStatus(target).getLen()).isEqualTo(block.length);
  }

  @Test
  void thePlantedSecretAppearsInNoLogConfigStatsOrErrorMessage() throws IOException {
    List<String> failures = new ArrayList<>();
    String missing = "s3a://no-such-bucket/run";
    Config prepare = StoreRoundTrip.prepareConfig(missing, List.of());
    failures.add(
        failure(
            () ->
                new PrepareJob(spark, storage, JOB_OUT)
                    .run(PrepareConfig.options(prepare), prepare.toYaml())));
    Config shard =
        io.nautilus.config.ConfigLoader.load(
            ShardConfig.SCHEMA,
            null,
            List.of("input.prepared=[" + BASE + "/prepared]", "output.dir=" + missing + "/shards"));
    failures.add(
        failure(() -> new ShardJob(spark, storage, JOB_OUT).run(ShardConfig.options(shard), "")));
    failures.add(
        failure(() -> storage.qualify("s3a://AKIAEXAMPLE:" + SECRET + "@" + BUCKET + "/x")));
    failures.add(String.join("\n", new ShardVerifier(storage).verify(missing).problems()));
    assertThat(failures.get(0)).contains("no-such-bucket");
    assertThat(failures.get(1)).contains("Cannot check output " + missing + "/shards");
    assertThat(failures.get(2))
        .contains(
            "Cannot use location s3a://***@nautilus/x: it carries credentials, which would end up in"
                + " logs");
    assertThat(failures.get(3)).contains("no-such-bucket");

    String preparedConfig = storage.readString(path(BASE + "/prepared/" + PrepareJob.CONFIG));
    String shardConfig = storage.readString(path(BASE + "/shards/" + ShardJob.CONFIG));
    assertThat(preparedConfig).contains("spark.hadoop.fs.s3a.secret.key: \"*****\"");
    assertThat(shardConfig).contains("spark.hadoop.fs.s3a.secret.key: \"*****\"");
    Map<String, String> shown = new TreeMap<>();
    shown.put("prepared/config.yaml", preparedConfig);
    shown.put("shards/config.yaml", shardConfig);
    for (String file :
        new TreeSet<>(
            List.of(
                "prepared/" + PrepareJob.STATS,
                "prepared/" + PrepareJob.SUMMARY,
                "shards/" + ShardJob.STATS,
                "shards/" + ShardJob.METADATA))) {
      shown.put(file, storage.readString(path(BASE + "/" + file)));
    }
    shown.put("job output", jobOutput.toString(StandardCharsets.UTF_8));
    shown.put("logs", logs.text());
    for (int i = 0; i < failures.size(); i++) {
      shown.put("failure " + i, failures.get(i));
    }
    // The capture really holds the S3A traffic of these runs.
    assertThat(shown.get("logs")).contains("s3a://" + BUCKET + "/run/prepared");
    shown.forEach((what, text) -> assertThat(text).as(what).doesNotContain(SECRET));
  }

  /**
   * The stack trace, with every cause's and suppressed error's message, of what {@code r} threw.
   */
  private static String failure(ThrowingRunnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      return w.toString();
    }
    throw new AssertionError("expected a failure");
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
