package io.nautilus.dist;

import java.nio.ByteBuffer;

/**
 * The local data of one collective, addressed in bytes as it travels: little-endian floats for the
 * float collectives, raw bytes for all-gather.
 */
interface Payload {

  /** Copies {@code bytes} bytes from byte {@code offset} into {@code dst}, advancing it. */
  void read(long offset, ByteBuffer dst, int bytes);

  /**
   * Stores the remaining bytes of {@code src} at byte {@code offset}, consuming them. With {@code
   * add}, the bytes are floats added element-wise to the local floats ({@code local + received},
   * which in IEEE arithmetic has the same bits as {@code received + local}).
   */
  void write(long offset, ByteBuffer src, boolean add);

  /**
   * Replaces the floats remaining in {@code frame} (without moving its position) by {@code local +
   * received} for the local floats from byte {@code offset}, so the frame can be passed on as it
   * is; with {@code keep}, the sums are stored locally too.
   */
  void addInto(long offset, ByteBuffer frame, boolean keep);

  /**
   * The payload's own memory for bytes {@code [offset, offset + bytes)}, to send from and receive
   * into without a copy; null when the payload is not a buffer (a Java array must be copied to
   * native memory for any socket I/O anyway).
   */
  default ByteBuffer slice(long offset, int bytes) {
    return null;
  }
}
