package io.nautilus.shard;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and MD5-hashes the bytes on their way to {@code out}, so a shard's {@link WidsIndex.Shard}
 * entry is known the moment it is written, without reading the file back.
 */
public final class Md5CountingOutputStream extends FilterOutputStream {
  private final MessageDigest md5;
  private long count;

  public Md5CountingOutputStream(OutputStream out) {
    super(out);
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash shard: this JVM has no MD5", e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    md5.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    md5.update(b, off, len);
    count += len;
  }

  public long count() {
    return count;
  }

  /** Lower-case hex MD5 of everything written so far. */
  public String md5Hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) md5.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("Cannot hash shard: MD5 digest is not cloneable", e);
    }
  }
}
