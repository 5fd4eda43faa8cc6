package io.nautilus.asr.text;

import java.util.Objects;

/**
 * The edits of one minimum-cost (Levenshtein) alignment of a hypothesis to a reference.
 *
 * <p>The total is the edit distance and does not depend on the alignment; its split into kinds
 * does. Where several alignments cost the same we prefer, at each step of the backtrace from the
 * end, a match or substitution, then a deletion, then an insertion: a misheard word then reads as
 * one substitution paired with its reference word rather than as a deletion and an insertion
 * elsewhere. (Deletion before insertion changes which words are paired, never the counts: with the
 * distance and both lengths fixed, the number of substitutions fixes the rest.) The counts are
 * carried forward through the table along that same path, so only two rows are kept in memory.
 */
public record EditCounts(int substitutions, int deletions, int insertions) {

  public static final EditCounts NONE = new EditCounts(0, 0, 0);

  public EditCounts {
    if (substitutions < 0 || deletions < 0 || insertions < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot count edits: counts must be non-negative, got %d substitutions, %d"
                  + " deletions, %d insertions",
              substitutions, deletions, insertions));
    }
  }

  /** The edit distance: substitutions + deletions + insertions. */
  public int errors() {
    return substitutions + deletions + insertions;
  }

  /** Aligns two token sequences (word ids, code points) and counts the edits. */
  public static EditCounts between(int[] reference, int[] hypothesis) {
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(hypothesis, "hypothesis is null");
    int m = hypothesis.length;
    // Row i holds, for each hypothesis prefix j, the counts of the preferred path to (i, j).
    int[] subs = new int[m + 1];
    int[] dels = new int[m + 1];
    int[] ins = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      ins[j] = j;
    }
    int[] nextSubs = new int[m + 1];
    int[] nextDels = new int[m + 1];
    int[] nextIns = new int[m + 1];
    for (int i = 1; i <= reference.length; i++) {
      nextSubs[0] = 0;
      nextDels[0] = i;
      nextIns[0] = 0;
      for (int j = 1; j <= m; j++) {
        boolean same = reference[i - 1] == hypothesis[j - 1];
        int diagonal = subs[j - 1] + dels[j - 1] + ins[j - 1] + (same ? 0 : 1);
        int up = subs[j] + dels[j] + ins[j] + 1;
        int left = nextSubs[j - 1] + nextDels[j - 1] + nextIns[j - 1] + 1;
        if (diagonal <= up && diagonal <= left) {
          nextSubs[j] = subs[j - 1] + (same ? 0 : 1);
          nextDels[j] = dels[j - 1];
          nextIns[j] = ins[j - 1];
        } else if (up <= left) {
          nextSubs[j] = subs[j];
          nextDels[j] = dels[j] + 1;
          nextIns[j] = ins[j];
        } else {
          nextSubs[j] = nextSubs[j - 1];
          nextDels[j] = nextDels[j - 1];
          nextIns[j] = nextIns[j - 1] + 1;
        }
      }
      int[] swap = subs;
      subs = nextSubs;
      nextSubs = swap;
      swap = dels;
      dels = nextDels;
      nextDels = swap;
      swap = ins;
      ins = nextIns;
      nextIns = swap;
    }
    return new EditCounts(subs[m], dels[m], ins[m]);
  }
}
