package io.nautilus.asr.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns per-frame CTC outputs into label ids. The blank is the last index, so a frame of
 * log-probabilities has {@code blank + 1} entries.
 *
 * <p>{@link #greedy} follows NeMo's rule: emit {@code p} when {@code p != blank} and ({@code p !=
 * previous} or {@code previous == blank}), then {@code previous = p}. {@link #beamSearch} is a CTC
 * prefix beam search without a language model: it sums the probability of every alignment of a
 * prefix, so it can prefer a label sequence that no single best path spells.
 */
public final class CtcDecoder {

  private static final Comparator<Map.Entry<Prefix, Scores>> BEST_FIRST =
      Comparator.<Map.Entry<Prefix, Scores>>comparingDouble(e -> -e.getValue().total())
          .thenComparing(Map.Entry::getKey);

  private final int blank;

  /**
   * @param blank the blank id, which is also the number of labels
   */
  public CtcDecoder(int blank) {
    if (blank < 1) {
      throw new IllegalArgumentException(
          "Cannot build a CTC decoder: blank is " + blank + ", expected at least 1 (one label)");
    }
    this.blank = blank;
  }

  public static CtcDecoder forTokenizer(CharTokenizer tokenizer) {
    return new CtcDecoder(tokenizer.blank());
  }

  public int blank() {
    return blank;
  }

  /**
   * Collapses the first {@code length} per-frame argmax ids: drops blanks and repeats that no blank
   * separates.
   */
  public int[] greedy(int[] frameIds, int length) {
    Objects.requireNonNull(frameIds, "frameIds is null");
    checkLength(length, frameIds.length);
    int[] out = new int[length];
    int n = 0;
    int previous = blank;
    for (int t = 0; t < length; t++) {
      int p = frameIds[t];
      if (p < 0 || p > blank) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot decode: frame %d holds id %d, expected 0..%d (blank %d)",
                t, p, blank, blank));
      }
      if (p != blank && (p != previous || previous == blank)) {
        out[n++] = p;
      }
      previous = p;
    }
    return Arrays.copyOf(out, n);
  }

  /** Greedy decoding of the first {@code length} frames of a {@code [T][blank + 1]} matrix. */
  public int[] greedy(float[][] logProbs, int length) {
    return greedy(argmax(logProbs, length), length);
  }

  /**
   * The best id of each of the first {@code length} frames; ties go to the lowest id, as {@code
   * torch.argmax} does.
   */
  public int[] argmax(float[][] logProbs, int length) {
    checkMatrix(logProbs, length);
    int[] ids = new int[length];
    for (int t = 0; t < length; t++) {
      float[] frame = logProbs[t];
      int best = 0;
      for (int v = 1; v < frame.length; v++) {
        if (frame[v] > frame[best]) {
          best = v;
        }
      }
      ids[t] = best;
    }
    return ids;
  }

  /**
   * CTC prefix beam search over the first {@code length} frames of log-probabilities, keeping the
   * {@code beamWidth} most probable prefixes after each frame. Equal scores are broken by the
   * shorter, then lexicographically smaller prefix, so the result is deterministic.
   *
   * @return the label ids of the most probable prefix
   */
  public int[] beamSearch(float[][] logProbs, int length, int beamWidth) {
    checkMatrix(logProbs, length);
    if (beamWidth < 1) {
      throw new IllegalArgumentException(
          "Cannot run beam search: beamWidth is " + beamWidth + ", expected at least 1");
    }
    Map<Prefix, Scores> beams = new HashMap<>();
    beams.put(Prefix.EMPTY, new Scores(0.0, Double.NEGATIVE_INFINITY));
    for (int t = 0; t < length; t++) {
      float[] frame = logProbs[t];
      Map<Prefix, Scores> next = new HashMap<>();
      for (Map.Entry<Prefix, Scores> beam : beams.entrySet()) {
        Prefix prefix = beam.getKey();
        Scores scores = beam.getValue();
        double total = scores.total();
        next.computeIfAbsent(prefix, k -> new Scores()).addBlank(total + frame[blank]);
        int last = prefix.last();
        for (int c = 0; c < blank; c++) {
          double p = frame[c];
          if (p == Double.NEGATIVE_INFINITY) {
            continue;
          }
          Scores extended = next.computeIfAbsent(prefix.append(c), k -> new Scores());
          if (c == last) {
            // A repeat extends the prefix only across a blank; otherwise it merges into the prefix.
            extended.addNonBlank(scores.blank + p);
            next.computeIfAbsent(prefix, k -> new Scores()).addNonBlank(scores.nonBlank + p);
          } else {
            extended.addNonBlank(total + p);
          }
        }
      }
      beams = prune(next, beamWidth);
    }
    return beams.entrySet().stream().min(BEST_FIRST).orElseThrow().getKey().ids();
  }

  private static Map<Prefix, Scores> prune(Map<Prefix, Scores> candidates, int beamWidth) {
    if (candidates.size() <= beamWidth) {
      return candidates;
    }
    List<Map.Entry<Prefix, Scores>> sorted = new ArrayList<>(candidates.entrySet());
    sorted.sort(BEST_FIRST);
    Map<Prefix, Scores> kept = new HashMap<>();
    for (Map.Entry<Prefix, Scores> entry : sorted.subList(0, beamWidth)) {
      kept.put(entry.getKey(), entry.getValue());
    }
    return kept;
  }

  private void checkMatrix(float[][] logProbs, int length) {
    Objects.requireNonNull(logProbs, "logProbs is null");
    checkLength(length, logProbs.length);
    for (int t = 0; t < length; t++) {
      float[] frame = logProbs[t];
      if (frame == null || frame.length != blank + 1) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot decode: frame %d has %s scores, expected %d (%d labels + blank)",
                t, frame == null ? "no" : String.valueOf(frame.length), blank + 1, blank));
      }
      for (int v = 0; v < frame.length; v++) {
        if (Float.isNaN(frame[v])) {
          throw new IllegalArgumentException(
              String.format("Cannot decode: frame %d holds NaN at id %d", t, v));
        }
      }
    }
  }

  private static void checkLength(int length, int frames) {
    if (length < 0 || length > frames) {
      throw new IllegalArgumentException(
          String.format("Cannot decode: length is %d, expected 0..%d (frames)", length, frames));
    }
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(Math.min(a, b) - max));
  }

  /** Log-probabilities of a prefix over alignments ending in blank and in its last label. */
  private static final class Scores {
    double blank;
    double nonBlank;

    Scores() {
      this(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    Scores(double blank, double nonBlank) {
      this.blank = blank;
      this.nonBlank = nonBlank;
    }

    void addBlank(double logProb) {
      blank = logAdd(blank, logProb);
    }

    void addNonBlank(double logProb) {
      nonBlank = logAdd(nonBlank, logProb);
    }

    double total() {
      return logAdd(blank, nonBlank);
    }
  }

  private static final class Prefix implements Comparable<Prefix> {
    static final Prefix EMPTY = new Prefix(new int[0]);

    private final int[] ids;
    private final int hash;

    private Prefix(int[] ids) {
      this.ids = ids;
      this.hash = Arrays.hashCode(ids);
    }

    int last() {
      return ids.length == 0 ? -1 : ids[ids.length - 1];
    }

    Prefix append(int id) {
      int[] longer = Arrays.copyOf(ids, ids.length + 1);
      longer[ids.length] = id;
      return new Prefix(longer);
    }

    int[] ids() {
      return ids.clone();
    }

    @Override
    public int compareTo(Prefix other) {
      int byLength = Integer.compare(ids.length, other.ids.length);
      return byLength != 0 ? byLength : Arrays.compare(ids, other.ids);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Prefix other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
