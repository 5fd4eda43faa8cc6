package io.nautilus.audio.dsp;

/**
 * The polyphase low-pass filter bank for one reduced rate ratio {@code up/down}: a Kaiser-windowed
 * sinc, sampled at the fractional input positions where output samples fall.
 *
 * <p>Output frame {@code n} lies at input time {@code t = n * down / up}. Writing {@code t = q +
 * p/up} with integer {@code q}, the output is the dot product of row {@code p} with the {@code
 * taps} input samples starting at {@code q - (centre - 1)}; row {@code p} holds {@code h(p/up +
 * centre - 1 - k)} for {@code k = 0..taps-1}, {@code h} being the prototype filter in input-sample
 * units. When {@code up} is large the bank would be too, so rows are then laid on a grid of {@code
 * grid} fractions ({@code grid + 1} rows, the last at fraction 1) and an output blends the two rows
 * around its fraction linearly.
 *
 * <p>The design: the pass band ends at {@link #PASSBAND} of the lower of the two Nyquist
 * frequencies and the stop band starts at that Nyquist frequency, so nothing that would alias is
 * let through, at {@link #STOPBAND_DB} of attenuation. Each row is normalised to sum to 1, so a
 * constant signal comes out exactly constant whatever the phase.
 */
final class FilterBank {

  /**
   * Where the pass band ends, as a fraction of the lower Nyquist frequency. sox's {@code rate -h}
   * keeps 95% with a filter almost twice as long; for speech at 16 kHz, what lies above 7.28 kHz
   * matters little.
   */
  static final double PASSBAND = 0.91;

  /** Stop-band attenuation and pass-band ripple, in dB, that the Kaiser design aims at. */
  static final double STOPBAND_DB = 100;

  /** Above this many exact phases (or coefficients), rows are interpolated on a grid instead. */
  private static final int MAX_EXACT_PHASES = 1024;

  private static final int MAX_EXACT_COEFFICIENTS = 1 << 20;

  /**
   * Grid rows per input sample at full bandwidth; narrower filters are smoother and need fewer.
   * Linear interpolation on this grid errs by about (pi / 1024)^2 / 8, below -110 dB.
   */
  private static final int GRID_AT_FULL_BAND = 1024;

  private static final int MIN_GRID = 16;

  final int up;
  final int down;
  final int taps;

  /** Taps before the one at or just left of the output position, plus one. */
  final int centre;

  /** 0 for exact phases (one row per {@code p/up}), else the interpolation grid size. */
  final int grid;

  private final double[] coefficients;

  private FilterBank(int up, int down, int taps, int centre, int grid, double[] coefficients) {
    this.up = up;
    this.down = down;
    this.taps = taps;
    this.centre = centre;
    this.grid = grid;
    this.coefficients = coefficients;
  }

  /** Designs the bank for a ratio already reduced to lowest terms. */
  static FilterBank design(int up, int down) {
    // Frequencies in units of the input Nyquist frequency; times in input samples.
    double band = Math.min(1.0, (double) up / down);
    double stop = band;
    double pass = band * PASSBAND;
    double cutoff = (pass + stop) / 2;
    double transition = Math.PI * (stop - pass);
    // Kaiser's estimates of the order and shape a given attenuation and transition width need.
    double halfWidth = (STOPBAND_DB - 7.95) / (2.285 * transition) / 2;
    double beta = 0.1102 * (STOPBAND_DB - 8.7);
    int centre = (int) Math.ceil(halfWidth);
    // A multiple of 4 so the dot product runs four sums without a tail; extra taps are zero.
    int taps = (2 * centre + 3) / 4 * 4;
    boolean exact =
        up == 1 || (up <= MAX_EXACT_PHASES && (long) up * taps <= MAX_EXACT_COEFFICIENTS);
    int grid = exact ? 0 : Math.max(MIN_GRID, (int) Math.ceil(GRID_AT_FULL_BAND * band));
    int rows = exact ? up : grid + 1;
    int fractions = exact ? up : grid;
    Prototype prototype = new Prototype(cutoff, halfWidth, beta, Prototype.besselI0(beta));
    double[] coefficients = new double[rows * taps];
    for (int row = 0; row < rows; row++) {
      double fraction = (double) row / fractions;
      int base = row * taps;
      double sum = 0;
      for (int k = 0; k < taps; k++) {
        double c = prototype.at(fraction + centre - 1 - k);
        coefficients[base + k] = c;
        sum += c;
      }
      for (int k = 0; k < taps; k++) {
        coefficients[base + k] /= sum;
      }
    }
    return new FilterBank(up, down, taps, centre, grid, coefficients);
  }

  /**
   * The output sample whose window starts at {@code x[from]} and whose position is {@code
   * remainder/up} of an input sample past the window's anchor.
   */
  double output(float[] x, int from, long remainder) {
    if (grid == 0) {
      return dot((int) remainder * taps, x, from);
    }
    long scaled = remainder * grid;
    int row = (int) (scaled / up);
    double weight = (double) (scaled % up) / up;
    double left = dot(row * taps, x, from);
    if (weight == 0) {
      return left;
    }
    double right = dot((row + 1) * taps, x, from);
    return left + weight * (right - left);
  }

  private double dot(int base, float[] x, int from) {
    double[] c = coefficients;
    // Four running sums in a fixed order: faster than one, and still the same on every JVM.
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    for (int k = 0; k < taps; k += 4) {
      s0 += c[base + k] * x[from + k];
      s1 += c[base + k + 1] * x[from + k + 1];
      s2 += c[base + k + 2] * x[from + k + 2];
      s3 += c[base + k + 3] * x[from + k + 3];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** A sinc low-pass at {@code cutoff} (of input Nyquist) under a Kaiser window. */
  private record Prototype(double cutoff, double halfWidth, double beta, double besselI0OfBeta) {

    double at(double t) {
      if (Math.abs(t) >= halfWidth) {
        return 0;
      }
      double r = t / halfWidth;
      return cutoff * sinc(cutoff * t) * besselI0(beta * Math.sqrt(1 - r * r)) / besselI0OfBeta;
    }

    private static double sinc(double x) {
      if (x == 0) {
        return 1;
      }
      double a = Math.PI * x;
      // StrictMath: Math.sin may differ by an ulp between JVMs, which would break bit-identity.
      return StrictMath.sin(a) / a;
    }

    /** The modified Bessel function of order 0, by its power series. */
    static double besselI0(double x) {
      double half = x / 2;
      double term = 1;
      double sum = 1;
      for (int k = 1; term > sum * 1e-17; k++) {
        double f = half / k;
        term *= f * f;
        sum += term;
      }
      return sum;
    }
  }
}
