package io.nautilus.asr.ctc;

/**
 * A batch's targets with blanks interleaved: label {@code k} of an utterance sits at position
 * {@code 2k+1} and blanks at the even positions, so each row has {@code 2S+1} entries, S being the
 * padded target width. Rows of shorter targets carry padding past {@code 2·length}, which no path
 * that ends at a row's final positions can reach.
 *
 * @param width entries per row, {@code 2S+1}
 * @param labels (B, width) vocabulary index of each entry
 * @param skipPenalty (B, width) 0 where a path may jump two entries ahead into this one (a label
 *     differing from the label two entries back), {@code negative} elsewhere
 * @param finals (B, 2) the positions where a complete path ends: the last label and the blank after
 *     it, {@code 2·length-1} and {@code 2·length}
 * @param finalPenalty (B, 2) 0 for a real final position, {@code negative} for the missing label
 *     position of an empty target
 */
record ExtendedLabels(
    int width, long[] labels, float[] skipPenalty, long[] finals, float[] finalPenalty) {

  /**
   * Builds the extended rows of a (B, S) padded target matrix given row-major.
   *
   * @param negative the large negative log-probability that stands for an impossible move
   */
  static ExtendedLabels of(
      long[] targets,
      int batch,
      int maxTarget,
      long[] targetLengths,
      int blank,
      int vocabulary,
      float negative) {
    int width = 2 * maxTarget + 1;
    long[] labels = new long[batch * width];
    float[] skip = new float[batch * width];
    long[] finals = new long[batch * 2];
    float[] finalPenalty = new float[batch * 2];
    for (int b = 0; b < batch; b++) {
      int length = (int) targetLengths[b];
      int row = b * width;
      for (int s = 0; s < width; s++) {
        int k = (s - 1) / 2;
        boolean isLabel = s % 2 == 1;
        long label = isLabel ? targets[b * maxTarget + k] : blank;
        if (isLabel && k < length && (label < 0 || label >= vocabulary || label == blank)) {
          throw new IllegalArgumentException(
              "Cannot compute CTC loss: target "
                  + b
                  + " has label "
                  + label
                  + " at position "
                  + k
                  + ", outside [0, "
                  + vocabulary
                  + ") or equal to the blank "
                  + blank);
        }
        // Padding past a row's length may hold anything; any valid index keeps gather in range.
        labels[row + s] = isLabel && k >= length ? blank : label;
        boolean skipAllowed = isLabel && s >= 3 && labels[row + s - 2] != label;
        skip[row + s] = skipAllowed ? 0f : negative;
      }
      finals[2 * b] = 2L * length;
      finals[2 * b + 1] = Math.max(2L * length - 1, 0);
      finalPenalty[2 * b + 1] = length > 0 ? 0f : negative;
    }
    return new ExtendedLabels(width, labels, skip, finals, finalPenalty);
  }
}
