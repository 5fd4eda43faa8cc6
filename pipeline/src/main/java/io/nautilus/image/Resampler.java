package io.nautilus.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Antialiased separable cubic resampling, written out in plain Java so that it is exact to the bit
 * on every JVM (Java 17 floating point is strict everywhere; Java2D's scaling paths differ between
 * platforms and do not antialias a downscale).
 *
 * <p>The algorithm, per axis, for an input of {@code in} pixels and an output of {@code out}:
 *
 * <ol>
 *   <li>{@code scale = in / out}. Pixel {@code j} covers {@code [j, j + 1)}; output pixel {@code i}
 *       is centred at {@code c = (i + 0.5) * scale} in input coordinates.
 *   <li>The kernel is Keys' cubic convolution with {@code a = -0.5} (the bicubic of PIL and of
 *       torchvision's antialiased resize), radius 2. When shrinking it is stretched by {@code
 *       scale}, so every output pixel averages all the input it covers: that is the antialiasing.
 *       When enlarging it is not stretched (plain bicubic interpolation).
 *   <li>Input pixel {@code j} gets weight {@code K((j + 0.5 - c) / max(scale, 1))}. Pixels outside
 *       the image are left out and the remaining weights are divided by their sum, so edges are not
 *       darkened and a flat image stays flat.
 * </ol>
 *
 * Rows are filtered first (input rows into output columns, values kept as floats), then columns
 * (sums in double). Results are clamped to the sample range (the kernel's negative lobes overshoot
 * at edges) and rounded half up. Where {@code in == out} the weights reduce to exactly one pixel of
 * weight 1, so an axis that keeps its size is copied unchanged.
 */
final class Resampler {

  private static final double A = -0.5;
  private static final double RADIUS = 2.0;

  private Resampler() {}

  /** Per output pixel, the first input pixel it reads and the weights of consecutive pixels. */
  record Taps(int[] first, double[][] weights) {}

  static BufferedImage resample(BufferedImage src, ResizePlan plan, String source)
      throws ImageFormatException {
    PixelRows rows = PixelRows.of(src, source);
    int channels = rows.channels();
    Taps across = taps(src.getWidth(), plan.resizedWidth(), plan.left(), plan.width());
    Taps down = taps(src.getHeight(), plan.resizedHeight(), plan.top(), plan.height());
    int lastRow = plan.height() - 1;
    int fromY = down.first[0];
    int toY = down.first[lastRow] + down.weights[lastRow].length;
    int outRow = plan.width() * channels;

    float[] mid = new float[(toY - fromY) * outRow];
    float[] in = new float[src.getWidth() * channels];
    for (int y = fromY; y < toY; y++) {
      rows.read(y, in);
      int base = (y - fromY) * outRow;
      for (int x = 0; x < plan.width(); x++) {
        int first = across.first[x] * channels;
        double[] w = across.weights[x];
        for (int c = 0; c < channels; c++) {
          double sum = 0;
          for (int k = 0; k < w.length; k++) {
            sum += w[k] * in[first + k * channels + c];
          }
          mid[base + x * channels + c] = (float) sum;
        }
      }
    }

    BufferedImage out = rows.newImage(plan.width(), plan.height());
    WritableRaster raster = out.getRaster();
    double[] sums = new double[outRow];
    int[] samples = new int[outRow];
    for (int y = 0; y < plan.height(); y++) {
      Arrays.fill(sums, 0.0);
      double[] w = down.weights[y];
      for (int k = 0; k < w.length; k++) {
        int base = (down.first[y] + k - fromY) * outRow;
        for (int i = 0; i < outRow; i++) {
          sums[i] += w[k] * mid[base + i];
        }
      }
      rows.store(sums, samples);
      raster.setPixels(0, y, plan.width(), 1, samples);
    }
    return out;
  }

  /**
   * The weights for output pixels {@code offset .. offset + count - 1} of an axis resized from
   * {@code in} to {@code out} pixels.
   */
  static Taps taps(int in, int out, int offset, int count) {
    double scale = in / (double) out;
    double stretch = Math.max(scale, 1.0);
    double support = RADIUS * stretch;
    int[] first = new int[count];
    double[][] weights = new double[count][];
    double[] raw = new double[(int) Math.ceil(2 * support) + 3];
    for (int i = 0; i < count; i++) {
      double centre = (offset + i + 0.5) * scale;
      int lo = Math.max(0, (int) Math.floor(centre - support));
      int hi = Math.min(in - 1, (int) Math.ceil(centre + support));
      double sum = 0;
      for (int j = lo; j <= hi; j++) {
        raw[j - lo] = cubic((j + 0.5 - centre) / stretch);
        sum += raw[j - lo];
      }
      // Zero weights at the ends cost time and nothing else; an unchanged axis keeps one pixel.
      int from = 0;
      int to = hi - lo;
      while (from < to && raw[from] == 0.0) {
        from++;
      }
      while (to > from && raw[to] == 0.0) {
        to--;
      }
      first[i] = lo + from;
      weights[i] = new double[to - from + 1];
      for (int k = from; k <= to; k++) {
        weights[i][k - from] = raw[k] / sum;
      }
    }
    return new Taps(first, weights);
  }

  /** Keys' cubic convolution kernel with {@code a = -0.5}; zero from radius 2 on. */
  static double cubic(double x) {
    double t = Math.abs(x);
    if (t < 1.0) {
      return ((A + 2.0) * t - (A + 3.0)) * t * t + 1.0;
    }
    if (t < 2.0) {
      return ((A * t - 5.0 * A) * t + 8.0 * A) * t - 4.0 * A;
    }
    return 0.0;
  }
}
