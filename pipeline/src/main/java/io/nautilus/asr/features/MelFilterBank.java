package io.nautilus.asr.features;

/**
 * Triangular mel filters on the Slaney mel scale (librosa's default, which NeMo uses through {@code
 * librosa.filters.mel}): linear below 1 kHz at 200/3 Hz per mel, logarithmic above with 27 mels per
 * factor 6.4. With Slaney normalisation each filter is scaled to unit area, {@code 2 / (upper edge
 * - lower edge)}, so bands of any width pass equal energy for white noise.
 */
public final class MelFilterBank {
  private static final double HZ_PER_MEL = 200.0 / 3;
  private static final double LOG_START_HZ = 1000.0;
  private static final double LOG_START_MEL = LOG_START_HZ / HZ_PER_MEL;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  private MelFilterBank() {}

  /**
   * The filter matrix, {@code [nMels][nFft / 2 + 1]}, computed in double precision.
   *
   * @param slaneyNorm scale each filter to unit area (NeMo's {@code mel_norm: slaney})
   */
  public static float[][] slaney(
      int sampleRate, int nFft, int nMels, double fmin, double fmax, boolean slaneyNorm) {
    int bins = nFft / 2 + 1;
    double lowMel = hzToMel(fmin);
    double highMel = hzToMel(fmax);
    double[] edges = new double[nMels + 2];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = melToHz(lowMel + (highMel - lowMel) * i / (nMels + 1));
    }
    float[][] weights = new float[nMels][bins];
    for (int m = 0; m < nMels; m++) {
      double lower = edges[m];
      double centre = edges[m + 1];
      double upper = edges[m + 2];
      double scale = slaneyNorm ? 2.0 / (upper - lower) : 1.0;
      for (int k = 0; k < bins; k++) {
        double hz = (double) k * sampleRate / nFft;
        double rising = (hz - lower) / (centre - lower);
        double falling = (upper - hz) / (upper - centre);
        weights[m][k] = (float) (Math.max(0, Math.min(rising, falling)) * scale);
      }
    }
    return weights;
  }

  static double hzToMel(double hz) {
    return hz < LOG_START_HZ
        ? hz / HZ_PER_MEL
        : LOG_START_MEL + Math.log(hz / LOG_START_HZ) / LOG_STEP;
  }

  static double melToHz(double mel) {
    return mel < LOG_START_MEL
        ? mel * HZ_PER_MEL
        : LOG_START_HZ * Math.exp(LOG_STEP * (mel - LOG_START_MEL));
  }
}
