package io.nautilus.asr.ctc;

/**
 * The CTC forward-backward pass on the host: per-utterance negative log-likelihoods and their exact
 * gradients with respect to the log-probabilities, in double precision.
 *
 * <p>It works in probability space and rescales every frame's forward and backward rows to sum to
 * one (the classic scaling of the forward-backward algorithm), so the recursion is multiply-adds
 * with no exp or log per cell; the log-likelihood is the sum of the logs of the scales. A frame's
 * posterior is its forward row times its backward row, renormalised, since the scales cancel within
 * a frame. The gradient of {@code -log p} with respect to {@code logProbs[t, k]} is minus the
 * posterior probability that frame t emits k.
 */
final class HostCtc {
  private HostCtc() {}

  /**
   * @param nll per utterance: {@code -log p}, +infinity when no alignment exists, NaN when a valid
   *     frame held NaN
   * @param grad (B, T, V) row-major gradient of each utterance's {@code nll}; zero past an input's
   *     length and for impossible utterances
   */
  record Result(double[] nll, double[] grad) {}

  /**
   * @param logProbs (B, T, V) row-major
   * @param targets (B, S) row-major labels, read up to each target length
   */
  static Result compute(
      double[] logProbs,
      int batch,
      int frames,
      int vocabulary,
      long[] inputs,
      long[] targets,
      int maxTarget,
      long[] targetLengths,
      int blank) {
    double[] nll = new double[batch];
    double[] grad = new double[logProbs.length];
    for (int b = 0; b < batch; b++) {
      int length = (int) targetLengths[b];
      int width = 2 * length + 1;
      int[] ext = new int[width];
      boolean[] skip = new boolean[width];
      for (int s = 0; s < width; s++) {
        ext[s] = s % 2 == 0 ? blank : (int) targets[b * maxTarget + s / 2];
        skip[s] = s % 2 == 1 && s >= 3 && ext[s] != ext[s - 2];
      }
      nll[b] =
          utterance(
              logProbs, grad, b * frames * vocabulary, (int) inputs[b], vocabulary, ext, skip);
    }
    return new Result(nll, grad);
  }

  /** One utterance starting at {@code base}; writes its gradient and returns its nll. */
  private static double utterance(
      double[] logProbs,
      double[] grad,
      int base,
      int frames,
      int vocabulary,
      int[] ext,
      boolean[] skip) {
    int width = ext.length;
    if (frames == 0) {
      // No frames: only the empty target has an alignment, the empty one.
      return width == 1 ? 0 : Double.POSITIVE_INFINITY;
    }
    double[][] y = new double[frames][width];
    double[] probabilities = new double[vocabulary];
    for (int t = 0; t < frames; t++) {
      int row = base + t * vocabulary;
      // One exp per symbol, not per extended label: most labels repeat the blank.
      for (int k = 0; k < vocabulary; k++) {
        probabilities[k] = Math.exp(logProbs[row + k]);
      }
      for (int s = 0; s < width; s++) {
        y[t][s] = probabilities[ext[s]];
      }
    }
    double[][] alpha = new double[frames][width];
    double logScale = 0;
    alpha[0][0] = y[0][0];
    if (width > 1) {
      alpha[0][1] = y[0][1];
    }
    for (int t = 0; t < frames; t++) {
      double[] a = alpha[t];
      if (t > 0) {
        double[] p = alpha[t - 1];
        for (int s = 0; s < width; s++) {
          double sum = p[s];
          if (s > 0) {
            sum += p[s - 1];
          }
          if (skip[s]) {
            sum += p[s - 2];
          }
          a[s] = sum * y[t][s];
        }
      }
      double c = normalise(a);
      if (c == 0) {
        return Double.POSITIVE_INFINITY;
      }
      logScale += Math.log(c);
    }
    double[] last = alpha[frames - 1];
    double end = last[width - 1] + (width > 1 ? last[width - 2] : 0);
    if (end == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double logLikelihood = logScale + Math.log(end);
    if (Double.isNaN(logLikelihood)) {
      java.util.Arrays.fill(grad, base, base + frames * vocabulary, Double.NaN);
      return Double.NaN;
    }

    // Backward rows exclude the frame's own emission, so alpha * beta is the joint probability.
    double[] beta = new double[width];
    double[] next = new double[width];
    beta[width - 1] = 1;
    if (width > 1) {
      beta[width - 2] = 1;
    }
    for (int t = frames - 1; t >= 0; t--) {
      if (t < frames - 1) {
        double[] e = y[t + 1];
        for (int s = 0; s < width; s++) {
          double sum = next[s] * e[s];
          if (s + 1 < width) {
            sum += next[s + 1] * e[s + 1];
          }
          if (s + 2 < width && skip[s + 2]) {
            sum += next[s + 2] * e[s + 2];
          }
          beta[s] = sum;
        }
        normalise(beta);
      }
      double[] a = alpha[t];
      double z = 0;
      for (int s = 0; s < width; s++) {
        z += a[s] * beta[s];
      }
      int row = base + t * vocabulary;
      for (int s = 0; s < width; s++) {
        grad[row + ext[s]] -= a[s] * beta[s] / z;
      }
      double[] swap = next;
      next = beta;
      beta = swap;
    }
    return -logLikelihood;
  }

  /** Scales the row to sum to one and returns the old sum (0 leaves it unchanged). */
  private static double normalise(double[] row) {
    double sum = 0;
    for (double v : row) {
      sum += v;
    }
    if (sum != 0) {
      double inv = 1 / sum;
      for (int i = 0; i < row.length; i++) {
        row[i] *= inv;
      }
    }
    return sum;
  }
}
