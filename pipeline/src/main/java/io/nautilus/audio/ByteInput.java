package io.nautilus.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/** A stream that counts its position and can give back a few bytes it read too early. */
final class ByteInput {

  static final int PUSHBACK = 64;
  private static final int DRAIN_BUFFER = 64 * 1024;

  private final PushbackInputStream in;
  private long position;

  ByteInput(InputStream in) {
    this.in = new PushbackInputStream(in, PUSHBACK);
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }

  /** Reads up to {@code len} bytes, fewer only at the end of the stream. */
  int read(byte[] b, int off, int len) throws IOException {
    int n = in.readNBytes(b, off, len);
    position += n;
    return n;
  }

  /** One byte, or -1 at the end of the stream. */
  int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      position++;
    }
    return b;
  }

  void unread(byte[] b, int off, int len) throws IOException {
    in.unread(b, off, len);
    position -= len;
  }

  void unread(int b) throws IOException {
    in.unread(b);
    position--;
  }

  /**
   * Skips up to {@code n} bytes, seeking where the stream can (Hadoop streams, files); returns
   * fewer only at the end of the stream. Some streams (FileInputStream) report skips past their end
   * as done, so a short file may only show when the next read finds nothing.
   */
  long skip(long n) throws IOException {
    long done = 0;
    while (done < n) {
      long step = in.skip(n - done);
      if (step <= 0) {
        // skip() may return 0 before the end; one read tells the two apart.
        if (in.read() < 0) {
          break;
        }
        step = 1;
      }
      done += step;
    }
    position += done;
    return done;
  }

  /** Reads to the end of the stream; returns the number of bytes read. */
  long drain() throws IOException {
    byte[] buffer = new byte[DRAIN_BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
    }
    position += total;
    return total;
  }

  /** The rest of the stream, for decoders that read it themselves; positions stop counting. */
  InputStream remaining() {
    return in;
  }
}
