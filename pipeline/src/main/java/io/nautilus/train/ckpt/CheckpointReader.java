package io.nautilus.train.ckpt;

import static io.nautilus.train.ckpt.CheckpointIO.CHECKSUM_BYTES;
import static io.nautilus.train.ckpt.CheckpointIO.CHUNK_BYTES;
import static io.nautilus.train.ckpt.CheckpointIO.MAGIC;
import static io.nautilus.train.ckpt.CheckpointIO.PREAMBLE_BYTES;
import static io.nautilus.train.ckpt.CheckpointIO.VERSION;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import org.apache.hadoop.fs.Path;

/**
 * Reads one checkpoint file in a single pass, checksumming as it goes.
 *
 * <p>The file's size is checked against its preamble first, so a truncated file is named as such
 * before any tensor is allocated. A header that does not parse is not reported at once: the rest is
 * read through the checksum, since a flipped byte in the header is corruption, not a foreign
 * format, and the message should say so.
 */
final class CheckpointReader {
  // Meta and a tensor table take kilobytes; anything near this is a damaged length field.
  private static final long MAX_HEADER_BYTES = 1 << 28;

  private final Path path;
  private final long size;
  private final InputStream in;
  private final MessageDigest sha = CheckpointIO.sha256();
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private long consumed;
  private long expected;

  CheckpointReader(Path path, long size, InputStream in) {
    this.path = path;
    this.size = size;
    this.in = in;
  }

  Checkpoint read() throws IOException {
    if (size == 0) {
      throw corrupt("it is empty");
    }
    byte[] pre = in.readNBytes((int) Math.min(PREAMBLE_BYTES, size));
    consumed = pre.length;
    sha.update(pre);
    int magicSeen = Math.min(pre.length, MAGIC.length);
    if (!Arrays.equals(pre, 0, magicSeen, MAGIC, 0, magicSeen)) {
      throw corrupt(
          "it is not a Nautilus checkpoint: it starts with 0x"
              + HexFormat.of().formatHex(pre, 0, magicSeen)
              + ", not "
              + new String(MAGIC, StandardCharsets.US_ASCII));
    }
    if (pre.length < PREAMBLE_BYTES) {
      throw corrupt(
          "it is truncated: "
              + size
              + " bytes, less than the "
              + (PREAMBLE_BYTES + CHECKSUM_BYTES)
              + " of even an empty checkpoint");
    }
    ByteBuffer b = ByteBuffer.wrap(pre).order(ByteOrder.LITTLE_ENDIAN).position(MAGIC.length);
    int version = b.getInt();
    if (version != VERSION) {
      throw corrupt(
          "its format version is "
              + Integer.toUnsignedString(version)
              + ", this build reads only version "
              + VERSION
              + "; load it with the Nautilus version that wrote it");
    }
    long headerBytes = Integer.toUnsignedLong(b.getInt());
    long dataBytes = b.getLong();
    if (headerBytes > MAX_HEADER_BYTES) {
      throw corrupt(
          "its preamble announces a header of " + headerBytes + " bytes: the file is corrupt");
    }
    expected = PREAMBLE_BYTES + headerBytes + dataBytes + CHECKSUM_BYTES;
    if (dataBytes < 0 || expected < 0 || size > expected) {
      throw corrupt(
          "it is "
              + size
              + " bytes, its preamble announces "
              + (dataBytes < 0 || expected < 0 ? "an impossible size" : expected)
              + ": the file is corrupt");
    }
    if (size < expected) {
      throw truncated(size);
    }
    byte[] json = readExactly((int) headerBytes);
    sha.update(json);
    CheckpointHeader header;
    try {
      header = CheckpointHeader.parse(json, dataBytes);
    } catch (IllegalArgumentException e) {
      skip(dataBytes);
      verifyChecksum();
      throw corrupt("its header is invalid: " + e.getMessage());
    }
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (CheckpointHeader.Entry e : header.entries()) {
      tensors.put(e.name(), new Tensor(e.shape(), readValues((int) e.elements())));
    }
    verifyChecksum();
    return new Checkpoint(header.meta(), tensors);
  }

  private float[] readValues(int count) throws IOException {
    float[] values = new float[count];
    FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int perChunk = CHUNK_BYTES / Float.BYTES;
    for (int pos = 0; pos < count; pos += perChunk) {
      int n = Math.min(perChunk, count - pos);
      fill(n * Float.BYTES);
      sha.update(chunk, 0, n * Float.BYTES);
      floats.clear();
      floats.get(values, pos, n);
    }
    return values;
  }

  private void skip(long bytes) throws IOException {
    for (long left = bytes; left > 0; ) {
      int n = (int) Math.min(CHUNK_BYTES, left);
      fill(n);
      sha.update(chunk, 0, n);
      left -= n;
    }
  }

  private void verifyChecksum() throws IOException {
    byte[] stored = readExactly(CHECKSUM_BYTES);
    if (!MessageDigest.isEqual(stored, sha.digest())) {
      throw corrupt("its SHA-256 checksum does not match its content: the file is corrupt");
    }
  }

  private void fill(int n) throws IOException {
    int got = in.readNBytes(chunk, 0, n);
    consumed += got;
    if (got < n) {
      throw truncated(consumed);
    }
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    consumed += bytes.length;
    if (bytes.length < n) {
      throw truncated(consumed);
    }
    return bytes;
  }

  /** {@code have}: the file's size, or where its stream ended if it shrank while being read. */
  private CorruptCheckpointException truncated(long have) {
    return corrupt("it is truncated: " + have + " bytes of " + expected);
  }

  private CorruptCheckpointException corrupt(String reason) {
    return new CorruptCheckpointException(path, reason);
  }
}
