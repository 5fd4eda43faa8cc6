package io.nautilus.shard;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes of one tar member, opened only when the writer reaches it, so that a sample of large
 * files is streamed member by member instead of being held in memory.
 *
 * @param size the exact number of bytes {@code opener} will yield
 * @param opener opens a fresh stream over the bytes; the writer closes it
 */
public record MemberSource(long size, Opener opener) {

  /** Opens the member's bytes. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  public MemberSource {
    if (size < 0) {
      throw new IllegalArgumentException("Cannot create member source: size " + size + " < 0");
    }
    Objects.requireNonNull(opener, "opener is null");
  }

  public static MemberSource of(byte[] data) {
    Objects.requireNonNull(data, "data is null");
    return new MemberSource(data.length, () -> new ByteArrayInputStream(data));
  }
}
