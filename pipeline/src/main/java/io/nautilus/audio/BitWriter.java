package io.nautilus.audio;

import java.util.Arrays;

/** Packs bit fields most significant bit first into a growable byte array, as FLAC lays them. */
final class BitWriter {

  private byte[] bytes;
  private int size;

  /** Bits not yet making a whole byte, right-aligned; fewer than 8 between calls. */
  private long pending;

  private int pendingBits;

  BitWriter(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  /** Writes the low {@code n} bits of {@code value}, {@code 0 <= n <= 32}. */
  void bits(int value, int n) {
    pending = (pending << n) | (value & ((1L << n) - 1));
    pendingBits += n;
    if (size + 5 > bytes.length) {
      bytes = Arrays.copyOf(bytes, 2 * bytes.length);
    }
    while (pendingBits >= 8) {
      pendingBits -= 8;
      bytes[size++] = (byte) (pending >>> pendingBits);
    }
  }

  /** Writes the low {@code n} bits of {@code value}, {@code 0 <= n <= 64}. */
  void longBits(long value, int n) {
    if (n > 32) {
      bits((int) (value >>> 32), n - 32);
      n = 32;
    }
    bits((int) value, n);
  }

  /** Writes {@code zeros} zero bits and a one: FLAC's unary code. */
  void unary(int zeros) {
    for (; zeros >= 32; zeros -= 32) {
      bits(0, 32);
    }
    bits(1, zeros + 1);
  }

  /** Writes a Rice code with parameter {@code k} for the zigzag-folded {@code folded}. */
  void rice(int folded, int k) {
    int quotient = folded >>> k;
    int low = folded & ((1 << k) - 1);
    if (quotient >= 0 && quotient <= 31 - k) {
      // The quotient's zeros, its terminating one and the low bits in one field.
      bits((1 << k) | low, quotient + 1 + k);
    } else {
      unary(quotient);
      bits(low, k);
    }
  }

  /** Pads with zero bits to a byte boundary. */
  void alignToByte() {
    if (pendingBits > 0) {
      bits(0, 8 - pendingBits);
    }
  }

  boolean isByteAligned() {
    return pendingBits == 0;
  }

  /** Whole bytes written; the array may be longer. */
  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  void reset() {
    size = 0;
    pending = 0;
    pendingBits = 0;
  }
}
