package io.nautilus.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Reads an image's header from a stream, counting bytes so messages can say where a problem lies.
 * Reads never stop short except at the end of the stream, whatever the stream's own habits.
 */
final class HeaderInput {

  static final int PUSHBACK = 16;

  private final PushbackInputStream in;
  private long position;

  HeaderInput(InputStream in) {
    this.in = new PushbackInputStream(in, PUSHBACK);
  }

  /** Reads up to {@code len} bytes; fewer only at the end of the stream. */
  int read(byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    position += total;
    return total;
  }

  /** The next byte, or -1 at the end of the stream. */
  int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      position++;
    }
    return b;
  }

  /** Skips up to {@code n} bytes; fewer only at the end of the stream. */
  long skip(long n) throws IOException {
    long total = 0;
    while (total < n) {
      long skipped = in.skip(n - total);
      if (skipped <= 0) {
        // skip() may return 0 before the end; one read tells the end from a lazy stream.
        if (in.read() < 0) {
          break;
        }
        skipped = 1;
      }
      total += skipped;
    }
    position += total;
    return total;
  }

  void unread(byte[] b, int off, int len) throws IOException {
    in.unread(b, off, len);
    position -= len;
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }
}
