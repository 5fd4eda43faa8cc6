package io.nautilus.shard;

/**
 * A shard that is not a well-formed, safe tar of regular files: corrupt or truncated bytes, or a
 * hostile member (unsafe name, link, device, FIFO, oversized).
 *
 * <p>Unchecked because it surfaces from {@link java.util.Iterator#next()}; plain I/O failures of
 * the underlying stream arrive as {@link java.io.UncheckedIOException} instead, so callers can tell
 * a bad shard (reject it) from a failing disk or network (retry).
 */
public class ShardFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShardFormatException(String message) {
    super(message);
  }
}
