package io.nautilus.asr.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EditCountsTest {

  @Test
  void identicalSequencesNeedNoEdits() {
    assertThat(EditCounts.between(new int[] {1, 2, 3}, new int[] {1, 2, 3}))
        .isEqualTo(EditCounts.NONE);
    assertThat(EditCounts.between(new int[0], new int[0])).isEqualTo(EditCounts.NONE);
  }

  @Test
  void emptyHypothesisDeletesEveryReferenceToken() {
    assertThat(EditCounts.between(new int[] {1, 2, 3}, new int[0]))
        .isEqualTo(new EditCounts(0, 3, 0));
  }

  @Test
  void emptyReferenceMakesEveryHypothesisTokenAnInsertion() {
    assertThat(EditCounts.between(new int[0], new int[] {4, 5})).isEqualTo(new EditCounts(0, 0, 2));
  }

  @Test
  void kittenToSittingIsTwoSubstitutionsAndOneInsertion() {
    int[] kitten = "kitten".codePoints().toArray();
    int[] sitting = "sitting".codePoints().toArray();
    EditCounts edits = EditCounts.between(kitten, sitting);
    assertThat(edits).isEqualTo(new EditCounts(2, 0, 1));
    assertThat(edits.errors()).isEqualTo(3);
  }

  @Test
  void tiesArePairedAsSubstitutionsRatherThanADeletionAndAnInsertion() {
    // "a b" -> "b a" costs 2 either as two substitutions or as delete a, keep b, insert a.
    assertThat(EditCounts.between(new int[] {1, 2}, new int[] {2, 1}))
        .isEqualTo(new EditCounts(2, 0, 0));
  }

  @Test
  void errorsEqualTheTextbookEditDistanceOnRandomSequences() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int[] reference = random.ints(random.nextInt(9), 0, 3).toArray();
      int[] hypothesis = random.ints(random.nextInt(9), 0, 3).toArray();
      EditCounts edits = EditCounts.between(reference, hypothesis);
      assertThat(edits.errors()).isEqualTo(distance(reference, hypothesis));
      assertThat(edits.deletions() - edits.insertions())
          .isEqualTo(reference.length - hypothesis.length);
    }
  }

  @Test
  void countsMustBeNonNegative() {
    assertThatThrownBy(() -> new EditCounts(0, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot count edits: counts must be non-negative, got 0 substitutions, -1 deletions,"
                + " 0 insertions");
  }

  /** Full-table Levenshtein distance, written independently of the class under test. */
  private static int distance(int[] a, int[] b) {
    int[][] d = new int[a.length + 1][b.length + 1];
    for (int i = 0; i <= a.length; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      for (int j = 1; j <= b.length; j++) {
        int cost = a[i - 1] == b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
      }
    }
    return d[a.length][b.length];
  }
}
