package io.nautilus.audio.dsp;

/** Test signals and the measurements the resampler tests make on them. */
final class Signals {

  private Signals() {}

  static float[] sine(double frequency, int rate, int frames, double amplitude) {
    float[] x = new float[frames];
    for (int i = 0; i < frames; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
    }
    return x;
  }

  /**
   * Signal-to-noise ratio in dB of {@code y[from, to)} against the exact sine, in double, at the
   * output rate.
   */
  static double snrDb(float[] y, double frequency, int rate, double amplitude, int from, int to) {
    double signal = 0;
    double noise = 0;
    for (int i = from; i < to; i++) {
      double ideal = amplitude * Math.sin(2 * Math.PI * frequency * i / rate);
      double error = y[i] - ideal;
      signal += ideal * ideal;
      noise += error * error;
    }
    return 10 * Math.log10(signal / noise);
  }

  /** Root mean square of {@code x[from, to)}. */
  static double rms(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum / (to - from));
  }
}
