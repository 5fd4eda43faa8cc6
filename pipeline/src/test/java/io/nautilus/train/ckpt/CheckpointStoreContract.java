package io.nautilus.train.ckpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.nautilus.io.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * The same checkpoint run on local files and on another store must leave the same files, byte for
 * byte, and resume the same way. Subclasses provide the store.
 */
abstract class CheckpointStoreContract {
  private static final Storage LOCAL = Storage.local();
  private static final CheckpointPolicy POLICY =
      new CheckpointPolicy("val_loss", "min", 2, true, "exp");

  /** The store under test. */
  abstract Storage store();

  /** A fresh directory on the store under test. */
  abstract Path storeDir(String name);

  /** A fresh local directory. */
  abstract Path localDir(String name);

  /** Large enough to span several I/O chunks (and S3 multipart parts where they are small). */
  static Checkpoint large(long step) {
    Checkpoint small = Checkpoints.atStep(step);
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(small.tensors());
    float[] values = new float[1_400_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = step * 1e-3f + i;
    }
    tensors.put("model/embedding", new Tensor(new long[] {1000, 1400}, values));
    return new Checkpoint(small.meta(), tensors);
  }

  /** Top-k of 2 by min over four steps, with a last checkpoint after each top-k save. */
  private static void train(Storage storage, Path dir) throws IOException {
    CheckpointManager m = new CheckpointManager(storage, dir, POLICY);
    double[] values = {0.5, 0.4, 0.6, 0.3};
    for (int step = 1; step <= values.length; step++) {
      Checkpoint c = step == 4 ? large(step) : Checkpoints.atStep(step);
      m.saveTopK(c, step, 0, values[step - 1]);
      m.saveLast(c, step, 0, values[step - 1]);
    }
  }

  private static Map<String, byte[]> contents(Storage storage, Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    FileSystem fs = storage.fs(dir);
    for (FileStatus s : fs.listStatus(dir)) {
      try (InputStream in = storage.open(s.getPath())) {
        files.put(s.getPath().getName(), in.readAllBytes());
      }
    }
    return files;
  }

  @Test
  void theStoreHoldsTheSameFilesByteForByteAsLocalFiles() throws IOException {
    Path local = localDir("same-bytes");
    Path remote = storeDir("same-bytes");
    train(LOCAL, local);
    train(store(), remote);

    Map<String, byte[]> onStore = contents(store(), remote);
    Map<String, byte[]> onDisk = contents(LOCAL, local);

    assertThat(onStore.keySet())
        .containsExactly(
            "exp--val_loss=0.3000-epoch=0-step=4-last.ckpt",
            "exp--val_loss=0.3000-epoch=0-step=4.ckpt",
            "exp--val_loss=0.4000-epoch=0-step=2.ckpt")
        .isEqualTo(onDisk.keySet());
    for (String name : onDisk.keySet()) {
      assertThat(Arrays.equals(onStore.get(name), onDisk.get(name))).as(name).isTrue();
    }
    assertThat(onStore.get("exp--val_loss=0.3000-epoch=0-step=4.ckpt").length)
        .isGreaterThan(5_600_000);
  }

  @Test
  void aRestartedManagerOnTheStoreResumesFromTheLatestCheckpoint() throws IOException {
    Path remote = storeDir("resume");
    train(store(), remote);

    CheckpointManager m = new CheckpointManager(store(), remote, POLICY);
    CheckpointManager.Loaded loaded =
        new ResumePolicy(true, false, null, false).resolve(m).orElseThrow();

    assertThat(loaded.path().getName()).isEqualTo("exp--val_loss=0.3000-epoch=0-step=4-last.ckpt");
    Checkpoints.assertSame(loaded.checkpoint(), large(4));
    assertThat(m.topK().stream().map(Path::getName))
        .containsExactly(
            "exp--val_loss=0.3000-epoch=0-step=4.ckpt", "exp--val_loss=0.4000-epoch=0-step=2.ckpt");
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void aCorruptLastCheckpointOnTheStoreIsSkippedForTheTopKOne() throws IOException {
    Path remote = storeDir("corrupt");
    train(store(), remote);
    Path last = new Path(remote, "exp--val_loss=0.3000-epoch=0-step=4-last.ckpt");
    byte[] bytes = contents(store(), remote).get(last.getName());
    byte[] damaged = bytes.clone();
    damaged[damaged.length / 2] ^= 1;
    try (OutputStream out = store().fs(last).create(last, true)) {
      out.write(damaged);
    }

    CheckpointManager m = new CheckpointManager(store(), remote, POLICY);
    CheckpointManager.Loaded loaded = m.latest().orElseThrow();

    assertThat(loaded.path().getName()).isEqualTo("exp--val_loss=0.3000-epoch=0-step=4.ckpt");
    Checkpoints.assertSame(loaded.checkpoint(), large(4));
    assertThat(m.warnings())
        .containsExactly(
            "Skipping checkpoint "
                + m.dir()
                + "/"
                + last.getName()
                + ": its SHA-256 checksum does not match its content: the file is corrupt;"
                + " using an earlier one");
  }
}
