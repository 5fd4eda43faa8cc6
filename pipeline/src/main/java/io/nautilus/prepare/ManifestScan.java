package io.nautilus.prepare;

import io.nautilus.io.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.Path;

/**
 * One pass over a manifest on the driver, for incremental runs: how many complete lines it has, how
 * many bytes they take and their SHA-256, and the SHA-256 of the prefix an earlier run read.
 *
 * <p>Lines end as Hadoop's reader ends them ({@code \n}, {@code \r\n} or a lone {@code \r}), so the
 * count agrees with the line numbers prepare gives. A last line without its end is not complete: a
 * writer may still be appending it, so it waits for a later run.
 *
 * @param completeLines lines that have their line end
 * @param completeBytes bytes up to and including the last line end
 * @param completeSha256 SHA-256 of those bytes
 * @param prefixSha256 SHA-256 of the first {@code prefixBytes} bytes asked for (of fewer if the
 *     file is shorter)
 * @param length the file's length
 */
record ManifestScan(
    long completeLines,
    long completeBytes,
    String completeSha256,
    String prefixSha256,
    long length) {

  /** Scans {@code file}, hashing its first {@code prefixBytes} bytes on the way. */
  static ManifestScan of(Storage storage, Path file, long prefixBytes) throws IOException {
    MessageDigest complete = sha256();
    MessageDigest prefix = sha256();
    // The bytes after the last line end seen so far: hashed into `complete` once their line ends.
    ByteArrayOutputStream open = new ByteArrayOutputStream();
    long lines = 0;
    long completeBytes = 0;
    long position = 0;
    boolean afterCr = false;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = storage.open(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        if (position < prefixBytes) {
          prefix.update(buf, 0, (int) Math.min(n, prefixBytes - position));
        }
        int from = 0;
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          boolean ends;
          if (b == '\n') {
            // The \n of a \r\n belongs to the line the \r ended.
            ends = true;
            if (!afterCr) {
              lines++;
            }
          } else if (b == '\r') {
            ends = true;
            lines++;
          } else {
            ends = false;
          }
          afterCr = b == '\r';
          if (ends) {
            complete.update(open.toByteArray());
            open.reset();
            complete.update(buf, from, i + 1 - from);
            from = i + 1;
            completeBytes = position + i + 1;
          }
        }
        open.write(buf, from, n - from);
        position += n;
      }
    }
    HexFormat hex = HexFormat.of();
    return new ManifestScan(
        lines,
        completeBytes,
        hex.formatHex(complete.digest()),
        hex.formatHex(prefix.digest()),
        position);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash manifests: this JVM has no SHA-256", e);
    }
  }
}
