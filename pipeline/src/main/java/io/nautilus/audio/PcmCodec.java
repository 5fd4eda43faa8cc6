package io.nautilus.audio;

/**
 * Converts interleaved little-endian WAV samples to and from {@code [channel][frame]} floats.
 *
 * <p>Integers of {@code b} bits map to floats by dividing by {@code 2^(b-1)}, the convention of
 * libsndfile and soundfile (which NeMo reads through), so {@code [-1, 1)} covers the full range.
 * Writing multiplies back, rounds half to even and clips.
 */
final class PcmCodec {

  private static final double SCALE_8 = 128.0;
  private static final double SCALE_16 = 32768.0;
  private static final double SCALE_24 = 8388608.0;
  private static final double SCALE_32 = 2147483648.0;

  private PcmCodec() {}

  /**
   * Decodes {@code frames} frames from {@code src} into {@code dst[channel][0..frames)}.
   *
   * @return the first frame holding a NaN or infinite sample, or -1 when all are finite
   */
  static int decode(Encoding encoding, byte[] src, int channels, int frames, float[][] dst) {
    int p = 0;
    switch (encoding) {
      case PCM_U8 -> {
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            dst[c][i] = (float) (((src[p++] & 0xFF) - 128) / SCALE_8);
          }
        }
      }
      case PCM_S16 -> {
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            int v = (src[p] & 0xFF) | (src[p + 1] << 8);
            dst[c][i] = (float) (v / SCALE_16);
            p += 2;
          }
        }
      }
      case PCM_S24 -> {
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            int v = (src[p] & 0xFF) | ((src[p + 1] & 0xFF) << 8) | (src[p + 2] << 16);
            dst[c][i] = (float) (v / SCALE_24);
            p += 3;
          }
        }
      }
      case PCM_S32 -> {
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            dst[c][i] = (float) (int32(src, p) / SCALE_32);
            p += 4;
          }
        }
      }
      case FLOAT32 -> {
        int bad = -1;
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            float v = Float.intBitsToFloat(int32(src, p));
            dst[c][i] = v;
            if (bad < 0 && !Float.isFinite(v)) {
              bad = i;
            }
            p += 4;
          }
        }
        return bad;
      }
      case FLOAT64 -> {
        int bad = -1;
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            long bits = (int32(src, p) & 0xFFFFFFFFL) | ((long) int32(src, p + 4) << 32);
            // A finite double beyond float range is as unusable as NaN once narrowed.
            float v = (float) Double.longBitsToDouble(bits);
            dst[c][i] = v;
            if (bad < 0 && !Float.isFinite(v)) {
              bad = i;
            }
            p += 8;
          }
        }
        return bad;
      }
      case FLAC -> throw new IllegalArgumentException("Cannot decode FLAC as WAV samples");
    }
    return -1;
  }

  /**
   * Encodes frames {@code [from, from + frames)} of {@code src} into {@code dst} from index 0.
   * Samples must be finite.
   */
  static void encode(Encoding encoding, float[][] src, int from, int frames, byte[] dst) {
    int channels = src.length;
    int p = 0;
    for (int i = from; i < from + frames; i++) {
      for (int c = 0; c < channels; c++) {
        float x = src[c][i];
        switch (encoding) {
          case PCM_U8 -> dst[p++] = (byte) (quantise(x, SCALE_8) + 128);
          case PCM_S16 -> {
            int v = (int) quantise(x, SCALE_16);
            dst[p++] = (byte) v;
            dst[p++] = (byte) (v >> 8);
          }
          case PCM_S24 -> {
            int v = (int) quantise(x, SCALE_24);
            dst[p++] = (byte) v;
            dst[p++] = (byte) (v >> 8);
            dst[p++] = (byte) (v >> 16);
          }
          case PCM_S32 -> p = putInt32(dst, p, (int) quantise(x, SCALE_32));
          case FLOAT32 -> p = putInt32(dst, p, Float.floatToRawIntBits(x));
          case FLOAT64 -> {
            long bits = Double.doubleToRawLongBits(x);
            p = putInt32(dst, p, (int) bits);
            p = putInt32(dst, p, (int) (bits >>> 32));
          }
          case FLAC -> throw new IllegalArgumentException("Cannot encode FLAC as WAV samples");
        }
      }
    }
  }

  /** {@code x * scale} rounded half to even and clipped to {@code [-scale, scale - 1]}. */
  static long quantise(float x, double scale) {
    double v = Math.rint(x * scale);
    if (v >= scale) {
      return (long) scale - 1;
    }
    if (v < -scale) {
      return (long) -scale;
    }
    return (long) v;
  }

  private static int putInt32(byte[] dst, int p, int v) {
    dst[p] = (byte) v;
    dst[p + 1] = (byte) (v >> 8);
    dst[p + 2] = (byte) (v >> 16);
    dst[p + 3] = (byte) (v >> 24);
    return p + 4;
  }

  private static int int32(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | (b[p + 3] << 24);
  }
}
