package io.nautilus.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepare, shard and verify with inputs and outputs on a real HDFS (one NameNode, one DataNode).
 */
class HdfsStorageTest {
  private static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @TempDir static Path tmp;
  private static MiniDFSCluster hdfs;
  private static SparkSession spark;
  private static Storage storage;
  private static String base;
  private static StoreRoundTrip.Outcome local;
  private static StoreRoundTrip.Outcome onHdfs;

  @BeforeAll
  static void runLocallyAndOnHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    // HDFS clients wait 400 ms before asking again whether a closed file is complete, which a
    // one-DataNode cluster rarely is on the first ask: hundreds of small files would take minutes.
    spark =
        StoreRoundTrip.spark(
            Map.of("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20"));
    spark.sparkContext().setLogLevel("ERROR");
    storage = Storage.of(spark.sparkContext().hadoopConfiguration());
    base = hdfs.getURI() + "/run";
    local = StoreRoundTrip.local(spark, tmp, QUIET);
    StoreRoundTrip.upload(storage, base);
    onHdfs = StoreRoundTrip.run(spark, storage, base, QUIET, List.of());
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (hdfs != null) {
        hdfs.shutdown();
      }
    }
  }

  @Test
  void thePreparedManifestAndStatsOnHdfsEqualTheLocalOnes() {
    assertThat(onHdfs.manifest()).startsWith("{\"audio_filepath\":\"<base>/asr/wavs/");
    assertThat(onHdfs.manifest()).isEqualTo(local.manifest());
    assertThat(onHdfs.stats()).isEqualTo(local.stats());
    assertThat(onHdfs.remainder()).isEqualTo(local.remainder()).contains("<base>/asr/wavs/");
    assertThat(onHdfs.stats().get("accepted").asLong()).isPositive();
  }

  @Test
  void theShardsOnHdfsAreByteIdenticalToTheLocalOnes() {
    assertThat(onHdfs.shards())
        .containsKeys(
            "audio_0.tar",
            "audio_2.tar",
            "sharded_manifests/manifest_2.json",
            "tarred_audio_manifest.json",
            "shard_index.json")
        .isEqualTo(local.shards());
  }

  @Test
  void verifyFindsTheHdfsShardSetSound() {
    assertThat(onHdfs.report().problems()).isEmpty();
    assertThat(onHdfs.report().shards()).isEqualTo(StoreRoundTrip.NUM_SHARDS);
    assertThat(onHdfs.report().samples()).isEqualTo(local.report().samples()).isPositive();
  }

  @Test
  void hdfsSetsAreCommittedByRenameAndLeaveNoStagingOrMarker() throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(base);
    assertThat(storage.protocol(root).name()).isEqualTo("rename");
    assertThat(
            Arrays.stream(storage.fs(root).listStatus(root))
                .map(FileStatus::getPath)
                .map(org.apache.hadoop.fs.Path::getName))
        .containsExactlyInAnyOrder("asr", "prepared", "shards");
    assertThat(
            storage.exists(
                new org.apache.hadoop.fs.Path(base + "/shards/" + CommitProtocol.MARKER)))
        .isFalse();
    assertThat(storage.setState(new org.apache.hadoop.fs.Path(base + "/shards")))
        .isEqualTo(SetState.COMMITTED);
  }
}
