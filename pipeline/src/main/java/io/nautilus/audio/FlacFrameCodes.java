package io.nautilus.audio;

/** The coded fields of a FLAC frame header. */
final class FlacFrameCodes {

  private static final int BLOCK_SIZE_8BIT = 6;
  private static final int BLOCK_SIZE_16BIT = 7;
  private static final int RATE_KHZ = 12;
  private static final int RATE_HZ = 13;
  private static final int RATE_TENS_OF_HZ = 14;

  /** Sample rates with a code of their own, at index {@code code - 1}. */
  private static final int[] RATES = {
    88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000
  };

  private FlacFrameCodes() {}

  /** The 4-bit block size code; 6 and 7 put the size minus one after the frame number. */
  static int blockSize(int n) {
    if (n == 192) {
      return 1;
    }
    for (int code = 2; code <= 5; code++) {
      if (n == 576 << (code - 2)) {
        return code;
      }
    }
    for (int code = 8; code <= 15; code++) {
      if (n == 256 << (code - 8)) {
        return code;
      }
    }
    return n <= 256 ? BLOCK_SIZE_8BIT : BLOCK_SIZE_16BIT;
  }

  static void writeBlockSizeTail(BitWriter w, int code, int n) {
    if (code == BLOCK_SIZE_8BIT) {
      w.bits(n - 1, 8);
    } else if (code == BLOCK_SIZE_16BIT) {
      w.bits(n - 1, 16);
    }
  }

  /**
   * The 4-bit sample rate code; 12 to 14 put the rate after the block size, 0 defers to STREAMINFO.
   */
  static int sampleRate(int rate) {
    for (int i = 0; i < RATES.length; i++) {
      if (RATES[i] == rate) {
        return i + 1;
      }
    }
    if (rate % 1000 == 0 && rate / 1000 <= 0xFF) {
      return RATE_KHZ;
    }
    if (rate <= 0xFFFF) {
      return RATE_HZ;
    }
    if (rate % 10 == 0 && rate / 10 <= 0xFFFF) {
      return RATE_TENS_OF_HZ;
    }
    return 0;
  }

  static void writeSampleRateTail(BitWriter w, int code, int rate) {
    switch (code) {
      case RATE_KHZ -> w.bits(rate / 1000, 8);
      case RATE_HZ -> w.bits(rate, 16);
      case RATE_TENS_OF_HZ -> w.bits(rate / 10, 16);
      default -> {}
    }
  }

  /** The 3-bit sample size code; 0 defers to STREAMINFO for widths without a code. */
  static int sampleSize(int bits) {
    return switch (bits) {
      case 8 -> 1;
      case 12 -> 2;
      case 16 -> 4;
      case 20 -> 5;
      case 24 -> 6;
      default -> 0;
    };
  }

  /** Writes a frame number in FLAC's extension of UTF-8 (up to 31 bits in 6 bytes). */
  static void writeNumber(BitWriter w, int value) {
    if (value < 0x80) {
      w.bits(value, 8);
      return;
    }
    int continuation = value < 0x800 ? 1 : value < 0x10000 ? 2 : value < 0x200000 ? 3 : 4;
    if (value >= 0x4000000) {
      continuation = 5;
    }
    // The lead byte: continuation + 1 one bits, a zero, then the value's top bits.
    int lead = (0xFF00 >> (continuation + 1)) & 0xFF;
    w.bits(lead | (value >>> (6 * continuation)), 8);
    for (int i = continuation - 1; i >= 0; i--) {
      w.bits(0x80 | ((value >>> (6 * i)) & 0x3F), 8);
    }
  }
}
