package io.nautilus.train.ckpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.nautilus.io.Storage;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on a real HDFS (one NameNode, one DataNode), committed by rename. */
class HdfsCheckpointTest extends CheckpointStoreContract {
  @TempDir static java.nio.file.Path tmp;
  private static MiniDFSCluster hdfs;
  private static Storage storage;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    // A one-DataNode cluster rarely has a closed file complete on the client's first ask, and the
    // default wait before asking again is 400 ms per file.
    conf.set("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    storage = Storage.of(conf);
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Override
  Storage store() {
    return storage;
  }

  @Override
  Path storeDir(String name) {
    return new Path(hdfs.getURI() + "/run/" + name + "/checkpoints");
  }

  @Override
  Path localDir(String name) {
    return Storage.local().qualify(tmp.resolve("local").resolve(name).toString());
  }

  @Test
  void checkpointsOnHdfsAreRenamedIntoPlace() {
    assertThat(storage.protocol(storeDir("x")).name()).isEqualTo("rename");
  }
}
