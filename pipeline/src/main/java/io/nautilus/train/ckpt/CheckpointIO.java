package io.nautilus.train.ckpt;

import io.nautilus.io.Storage;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes and reads checkpoint files in the format described in {@code package-info}, streaming: the
 * tensors' values pass through a fixed 1 MiB buffer, never a second full copy.
 */
public final class CheckpointIO {
  static final byte[] MAGIC = "NAUTCKPT".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int PREAMBLE_BYTES = 24;
  static final int CHECKSUM_BYTES = 32;
  static final int ALIGN = 64;
  static final int CHUNK_BYTES = 1 << 20;

  private CheckpointIO() {}

  /**
   * Writes {@code c} to {@code target}, replacing what is there, whole or not at all: under a
   * temporary name renamed into place on local files and HDFS; on S3 straight to the final key,
   * which appears only once its upload completes (and a failed upload is aborted).
   */
  public static void write(Storage storage, Path target, Checkpoint c) throws IOException {
    Objects.requireNonNull(c, "checkpoint is null");
    CheckpointHeader header = CheckpointHeader.of(c);
    byte[] json = header.toBytes(PREAMBLE_BYTES, ALIGN);
    storage.writeAtomically(
        target,
        raw -> {
          MessageDigest sha = sha256();
          BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
          OutputStream out = new DigestOutputStream(buffered, sha);
          out.write(preamble(json.length, header.dataBytes()));
          out.write(json);
          writeValues(out, c);
          out.flush();
          buffered.write(sha.digest());
          // Not closed: the storage closes the stream when it publishes the file.
          buffered.flush();
        });
  }

  /**
   * Reads and verifies a checkpoint.
   *
   * @throws FileNotFoundException when there is no file at {@code path}
   * @throws CorruptCheckpointException when it is truncated, fails its checksum, or is not a
   *     checkpoint this build reads
   */
  public static Checkpoint read(Storage storage, Path path) throws IOException {
    FileSystem fs = storage.fs(path);
    long size;
    try {
      size = fs.getFileStatus(path).getLen();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("Cannot load checkpoint " + path + ": it does not exist");
    }
    try (InputStream in = fs.open(path)) {
      return new CheckpointReader(path, size, in).read();
    }
  }

  static byte[] preamble(int headerBytes, long dataBytes) {
    return ByteBuffer.allocate(PREAMBLE_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(MAGIC)
        .putInt(VERSION)
        .putInt(headerBytes)
        .putLong(dataBytes)
        .array();
  }

  private static void writeValues(OutputStream out, Checkpoint c) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = bytes.asFloatBuffer();
    int perChunk = CHUNK_BYTES / Float.BYTES;
    for (Tensor t : c.tensors().values()) {
      float[] data = t.data();
      for (int pos = 0; pos < data.length; pos += perChunk) {
        int n = Math.min(perChunk, data.length - pos);
        floats.clear();
        floats.put(data, pos, n);
        out.write(bytes.array(), 0, n * Float.BYTES);
      }
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot checksum checkpoints: this JVM has no SHA-256", e);
    }
  }
}
