package io.nautilus.asr.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {

  private static final int A = 1;
  private static final int B = 2;
  private static final int BLANK = 28;

  private final CharTokenizer english = CharTokenizer.english();
  private final CtcDecoder decoder = CtcDecoder.forTokenizer(english);

  @Test
  void greedyCollapsesRepeatsAndDropsBlanks() {
    int[] ids = decoder.greedy(new int[] {A, A, BLANK, A, B, B}, 6);
    assertThat(ids).containsExactly(A, A, B);
    assertThat(english.decode(ids)).isEqualTo("aab");
  }

  @Test
  void greedyEmitsALabelRepeatedAcrossBlanksEachTime() {
    assertThat(decoder.greedy(new int[] {BLANK, A, BLANK, BLANK, A, BLANK}, 6))
        .containsExactly(A, A);
    assertThat(decoder.greedy(new int[] {BLANK, BLANK}, 2)).isEmpty();
  }

  @Test
  void greedyReadsOnlyTheFirstLengthFrames() {
    assertThat(decoder.greedy(new int[] {A, B, B, A, A}, 3)).containsExactly(A, B);
    assertThat(decoder.greedy(new int[] {A, B}, 0)).isEmpty();
  }

  @Test
  void greedyRefusesIdsOutsideTheVocabularyAndBadLengths() {
    assertThatThrownBy(() -> decoder.greedy(new int[] {A, 29}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot decode: frame 1 holds id 29, expected 0..28 (blank 28)");
    assertThatThrownBy(() -> decoder.greedy(new int[] {A}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot decode: length is 2, expected 0..1 (frames)");
  }

  @Test
  void greedyFromLogProbsTakesTheArgmaxOfEachFrame() {
    CtcDecoder ab = new CtcDecoder(2);
    float[][] logProbs =
        logs(
            new double[][] {
              {0.7, 0.2, 0.1}, {0.6, 0.1, 0.3}, {0.1, 0.1, 0.8}, {0.2, 0.7, 0.1}, {0.5, 0.1, 0.4}
            });
    assertThat(ab.argmax(logProbs, 5)).containsExactly(0, 0, 2, 1, 0);
    assertThat(ab.greedy(logProbs, 5)).containsExactly(0, 1, 0);
    assertThat(ab.greedy(logProbs, 2)).containsExactly(0);
  }

  @Test
  void argmaxBreaksTiesTowardsTheLowestId() {
    CtcDecoder ab = new CtcDecoder(2);
    assertThat(ab.argmax(new float[][] {{-1f, -1f, -1f}, {-2f, -1f, -1f}}, 2))
        .containsExactly(0, 1);
  }

  @Test
  void logProbFramesMustHaveOneScorePerLabelPlusBlank() {
    CtcDecoder ab = new CtcDecoder(2);
    assertThatThrownBy(() -> ab.greedy(new float[][] {{0f, 0f, 0f}, {0f, 0f}}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot decode: frame 1 has 2 scores, expected 3 (2 labels + blank)");
    assertThatThrownBy(() -> ab.beamSearch(new float[][] {{0f, Float.NaN, 0f}}, 1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot decode: frame 0 holds NaN at id 1");
    assertThatThrownBy(() -> ab.beamSearch(new float[][] {{0f, 0f, 0f}}, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot run beam search: beamWidth is 0, expected at least 1");
    assertThatThrownBy(() -> new CtcDecoder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a CTC decoder: blank is 0, expected at least 1 (one label)");
  }

  @Test
  void beamSearchFindsALabelThatNoSingleBestPathSpells() {
    // One label "a": each frame a 0.4, blank 0.6. The best path is blank-blank (""), 0.36;
    // "a" collects a-a, a-blank and blank-a: 0.16 + 0.24 + 0.24 = 0.64.
    CtcDecoder one = new CtcDecoder(1);
    float[][] logProbs = logs(new double[][] {{0.4, 0.6}, {0.4, 0.6}});
    assertThat(one.greedy(logProbs, 2)).isEmpty();
    assertThat(one.beamSearch(logProbs, 2, 4)).containsExactly(0);
  }

  @Test
  void beamSearchMergesAlignmentsThatGreedySplitsIntoARepeat() {
    // Labels a, b (b never fires). Greedy takes a-blank-a = "aa" (0.288), but the six paths
    // that spell "a" sum to 0.144 + 0.096 + 0.192 + 0.018 + 0.012 + 0.036 = 0.498.
    CtcDecoder ab = new CtcDecoder(2);
    float[][] logProbs = logs(new double[][] {{0.8, 0.0, 0.1}, {0.3, 0.0, 0.6}, {0.6, 0.0, 0.4}});
    assertThat(ab.greedy(logProbs, 3)).containsExactly(0, 0);
    assertThat(ab.beamSearch(logProbs, 3, 8)).containsExactly(0);
    assertThat(best(exhaustive(logProbs, 2))).containsExactly(0);
  }

  @Test
  void beamSearchKeepsARepeatSeparatedByABlank() {
    CtcDecoder ab = new CtcDecoder(2);
    float[][] logProbs =
        logs(new double[][] {{0.9, 0.05, 0.05}, {0.05, 0.05, 0.9}, {0.9, 0.05, 0.05}});
    assertThat(ab.beamSearch(logProbs, 3, 4)).containsExactly(0, 0);
    assertThat(ab.beamSearch(logProbs, 2, 4)).containsExactly(0);
    assertThat(ab.beamSearch(logProbs, 0, 4)).isEmpty();
  }

  @Test
  void wideBeamSearchEqualsTheExhaustiveBestLabelSequence() {
    CtcDecoder abc = new CtcDecoder(2);
    Random random = new Random(20240607);
    int differsFromGreedy = 0;
    for (int trial = 0; trial < 40; trial++) {
      double[][] probs = new double[5][3];
      for (double[] frame : probs) {
        double sum = 0;
        for (int v = 0; v < frame.length; v++) {
          frame[v] = Math.exp(2 * random.nextGaussian());
          sum += frame[v];
        }
        for (int v = 0; v < frame.length; v++) {
          frame[v] /= sum;
        }
      }
      float[][] logProbs = logs(probs);
      int[] expected = best(exhaustive(logProbs, 2));
      // 5 frames over 2 labels give at most 63 prefixes, so a beam of 64 prunes nothing.
      assertThat(abc.beamSearch(logProbs, 5, 64)).as("trial %d", trial).containsExactly(expected);
      if (!Arrays.equals(abc.greedy(logProbs, 5), expected)) {
        differsFromGreedy++;
      }
    }
    assertThat(differsFromGreedy).isPositive();
  }

  @Test
  void beamSearchOnTheEnglishVocabularyAgreesWithGreedyOnConfidentFrames() {
    int[] path = {BLANK, 20, 20, 8, BLANK, 5, 5, BLANK, 0, 3, 1, 1, 20, BLANK};
    float[][] logProbs = new float[path.length][29];
    for (int t = 0; t < path.length; t++) {
      Arrays.fill(logProbs[t], (float) Math.log(0.01 / 28));
      logProbs[t][path[t]] = (float) Math.log(0.99);
    }
    assertThat(english.decode(decoder.greedy(logProbs, path.length))).isEqualTo("the cat");
    assertThat(english.decode(decoder.beamSearch(logProbs, path.length, 8))).isEqualTo("the cat");
  }

  private static float[][] logs(double[][] probs) {
    float[][] logProbs = new float[probs.length][];
    for (int t = 0; t < probs.length; t++) {
      logProbs[t] = new float[probs[t].length];
      for (int v = 0; v < probs[t].length; v++) {
        logProbs[t][v] = (float) Math.log(probs[t][v]);
      }
    }
    return logProbs;
  }

  /** Probability of every label sequence, summed over all V^T paths. */
  private static Map<List<Integer>, Double> exhaustive(float[][] logProbs, int blank) {
    int frames = logProbs.length;
    int vocabulary = blank + 1;
    Map<List<Integer>, Double> probability = new HashMap<>();
    int[] path = new int[frames];
    int paths = (int) Math.pow(vocabulary, frames);
    for (int code = 0; code < paths; code++) {
      int rest = code;
      double p = 1;
      for (int t = 0; t < frames; t++) {
        path[t] = rest % vocabulary;
        rest /= vocabulary;
        p *= Math.exp(logProbs[t][path[t]]);
      }
      List<Integer> labels = new ArrayList<>();
      int previous = blank;
      for (int id : path) {
        if (id != blank && id != previous) {
          labels.add(id);
        }
        previous = id;
      }
      probability.merge(labels, p, Double::sum);
    }
    return probability;
  }

  private static int[] best(Map<List<Integer>, Double> probability) {
    return probability.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey()
        .stream()
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
