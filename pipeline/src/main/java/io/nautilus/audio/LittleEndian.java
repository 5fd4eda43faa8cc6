package io.nautilus.audio;

/** Little-endian fields of RIFF headers. */
final class LittleEndian {

  private LittleEndian() {}

  static int u16(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
  }

  static long u32(byte[] b, int p) {
    return (u16(b, p) | ((long) u16(b, p + 2) << 16)) & 0xFFFFFFFFL;
  }

  static long u64(byte[] b, int p) {
    return u32(b, p) | (u32(b, p + 4) << 32);
  }

  static void put16(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
  }

  static void put32(byte[] b, int p, long v) {
    put16(b, p, (int) v);
    put16(b, p + 2, (int) (v >> 16));
  }
}
