package io.nautilus.dist;

import java.util.Random;

/** The documented results, computed the slow, obvious way. */
final class RingReference {
  private RingReference() {}

  /**
   * Chunk {@code c} of {@code W} (the first {@code n % W} chunks one longer) summed from rank
   * {@code c} onwards: {@code x[c] + x[c+1] + … + x[c-1]}, left to right.
   */
  static float[] ringOrderSum(float[][] inputs) {
    int w = inputs.length;
    int n = inputs[0].length;
    float[] out = new float[n];
    int start = 0;
    for (int c = 0; c < w; c++) {
      int size = n / w + (c < n % w ? 1 : 0);
      for (int i = start; i < start + size; i++) {
        float s = inputs[c][i];
        for (int k = 1; k < w; k++) {
          s += inputs[(c + k) % w][i];
        }
        out[i] = s;
      }
      start += size;
    }
    return out;
  }

  /** Values spread over twelve orders of magnitude and both signs, so order changes the bits. */
  static float[][] randomInputs(int world, int length, long seed) {
    Random random = new Random(seed);
    float[][] inputs = new float[world][length];
    for (float[] row : inputs) {
      for (int i = 0; i < length; i++) {
        row[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(13) - 6));
      }
    }
    return inputs;
  }

  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
