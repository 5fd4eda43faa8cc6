package io.nautilus.train.ckpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.nautilus.io.S3MockServer;
import io.nautilus.io.Storage;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints on a real S3 endpoint (S3Mock on loopback) through S3A, written straight to their
 * keys, the large one as a multipart upload.
 */
class S3CheckpointTest extends CheckpointStoreContract {
  // S3A caches file systems by bucket: a bucket name of its own keeps this endpoint's settings.
  private static final String BUCKET = "nautilus-checkpoints";

  @TempDir static java.nio.file.Path tmp;
  private static S3MockServer s3;
  private static Storage storage;

  @BeforeAll
  static void startS3() throws IOException, InterruptedException {
    s3 = S3MockServer.start(tmp.resolve("s3"), BUCKET);
    Configuration conf = new Configuration();
    s3.configure(conf, "checkpoint-test-secret");
    // The smallest part S3 takes, so the 5.6 MB checkpoint goes up in two parts.
    conf.set("fs.s3a.multipart.size", "5M");
    conf.set("fs.s3a.multipart.threshold", "5M");
    storage = Storage.of(conf);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  Storage store() {
    return storage;
  }

  @Override
  Path storeDir(String name) {
    return new Path("s3a://" + BUCKET + "/run/" + name + "/checkpoints");
  }

  @Override
  Path localDir(String name) {
    return Storage.local().qualify(tmp.resolve("local").resolve(name).toString());
  }

  @Test
  void checkpointsOnS3AreWrittenInPlaceWithoutRename() {
    assertThat(storage.protocol(storeDir("x")).name()).isEqualTo("marker");
  }

  @Test
  void aLargeCheckpointGoesUpAsOneCompletedMultipartUpload() throws IOException {
    Path target = new Path(storeDir("multipart"), "big.ckpt");
    FileSystem fs = storage.fs(target);

    long before = completedMultipartUploads(fs);
    CheckpointIO.write(storage, target, large(7));

    assertThat(completedMultipartUploads(fs)).isEqualTo(before + 1);
    Checkpoints.assertSame(CheckpointIO.read(storage, target), large(7));
    assertThat(fs.listStatus(target.getParent())).hasSize(1);
  }

  private static long completedMultipartUploads(FileSystem fs) {
    Long n = fs.getStorageStatistics().getLong("multipart_upload_completed");
    return n == null ? 0 : n;
  }
}
