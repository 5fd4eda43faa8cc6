package io.nautilus.audio;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers the first I/O failure of the underlying stream.
 *
 * <p>jflac turns some I/O errors into end-of-stream or "bad subframe" reports; with this the caller
 * can tell a failing stream (an IOException, maybe worth a retry) from a damaged file.
 */
final class TrackedInputStream extends FilterInputStream {

  private IOException failure;

  TrackedInputStream(InputStream in) {
    super(in);
  }

  IOException failure() {
    return failure;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }
}
