package io.nautilus.asr.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nautilus.PythonReference;
import io.nautilus.train.engine.Autograd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Losses and gradients against {@code torch.nn.functional.ctc_loss} on random logits, for every
 * reduction with zero_infinity on and off. Both sides apply log-softmax to the same float32 logits
 * and compare the logits' gradient (see {@link CtcLoss} on PyTorch's log-probability gradient). One
 * Python process computes every case. Needs {@code /usr/bin/python3} with torch (Debian {@code
 * python3-torch}); skips otherwise.
 */
class CtcLossTorchTest {
  /** Absolute below magnitude 1, relative above: float32 sums in different orders. */
  private static final double TOLERANCE = 1e-4;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static JsonNode reference;

  /** A batch; target rows are padded with arbitrary values, the blank included, to prove unread. */
  private record Case(
      String id,
      int frames,
      int vocabulary,
      int blank,
      int[] inputLengths,
      int[][] targets,
      int[] targetLengths,
      long seed) {

    int batch() {
      return inputLengths.length;
    }

    int width() {
      return targets[0].length;
    }

    float[] logits() {
      Random random = new Random(seed);
      float[] logits = new float[batch() * frames * vocabulary];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) (2 * random.nextGaussian());
      }
      return logits;
    }

    int[] flatTargets() {
      return Stream.of(targets).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    @Override
    public String toString() {
      return id;
    }
  }

  private static final List<Case> CASES =
      List.of(
          // Different input and target lengths; "2 2", "5 5" and "3 3 3" need blanks between.
          new Case(
              "mixed lengths, blank 0",
              30,
              6,
              0,
              new int[] {30, 25, 18, 12},
              new int[][] {
                {1, 2, 2, 3, 4, 5, 5, 1},
                {3, 3, 3, 1, 2, 0, 4, 4},
                {2, 2, 0, 1, 5, 5, 3, 3},
                {5, 1, 4, 1, 1, 0, 0, 2}
              },
              new int[] {8, 5, 0, 3},
              11),
          // NeMo's layout: the blank is the last index.
          new Case(
              "blank last",
              20,
              5,
              4,
              new int[] {20, 9, 1},
              new int[][] {{0, 0, 1, 1}, {2, 3, 2, 4}, {1, 4, 0, 0}},
              new int[] {4, 3, 1},
              12),
          // The first target needs 7 frames and has 6; the last needs exactly its 3 frames.
          new Case(
              "impossible alignment",
              10,
              4,
              0,
              new int[] {6, 10, 3},
              new int[][] {{1, 1, 2, 2, 3}, {1, 2, 3, 0, 0}, {3, 3, 1, 1, 1}},
              new int[] {5, 3, 2},
              13),
          longCase());

  /** A character-sized vocabulary with a long utterance, where float32 rounding adds up most. */
  private static Case longCase() {
    Random random = new Random(14);
    int[][] targets = new int[2][40];
    for (int[] row : targets) {
      for (int k = 0; k < row.length; k++) {
        row[k] = random.nextInt(28);
      }
    }
    return new Case(
        "long, 29 symbols", 120, 29, 28, new int[] {120, 97}, targets, new int[] {40, 31}, 14);
  }

  static Stream<Arguments> comparisons() {
    List<Arguments> all = new ArrayList<>();
    for (Case c : CASES) {
      for (Reduction r : Reduction.values()) {
        for (boolean zeroInfinity : new boolean[] {false, true}) {
          for (CtcLoss.Method method : CtcLoss.Method.values()) {
            all.add(Arguments.of(c, r, zeroInfinity, method));
          }
        }
      }
    }
    return all.stream();
  }

  @BeforeAll
  static void runReference() throws Exception {
    List<Map<String, Object>> cases = new ArrayList<>();
    for (Case c : CASES) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("shape", List.of(c.batch(), c.frames(), c.vocabulary()));
      m.put("logits", c.logits());
      m.put("inputLengths", c.inputLengths());
      m.put("targets", c.flatTargets());
      m.put("targetLengths", c.targetLengths());
      m.put("blank", c.blank());
      cases.add(m);
    }
    reference =
        PythonReference.runJson(
            JSON, "/asr/ctc_reference.py", Map.of("cases", cases), "python3-torch");
  }

  @ParameterizedTest(name = "{0}, {1}, zeroInfinity={2}, {3}")
  @MethodSource("comparisons")
  void lossAndLogitGradientsMatchPyTorch(
      Case c, Reduction reduction, boolean zeroInfinity, CtcLoss.Method method) {
    String key = c.id() + "|" + reduction.name().toLowerCase(Locale.ROOT) + "|" + zeroInfinity;
    JsonNode expected = reference.get(key);
    assertThat(expected).as("reference for %s", key).isNotNull();
    int b = c.batch();
    int t = c.frames();
    int v = c.vocabulary();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logits = m.create(c.logits(), new Shape(b, t, v));
      logits.setRequiresGradient(true);
      NDArray loss;
      try (Autograd a = Autograd.record()) {
        loss =
            CtcLoss.loss(
                logits.logSoftmax(2),
                m.create(c.inputLengths()),
                m.create(c.flatTargets(), new Shape(b, c.width())),
                m.create(c.targetLengths()),
                c.blank(),
                reduction,
                zeroInfinity,
                method);
        a.backward(reduction == Reduction.NONE ? loss.sum() : loss);
      }
      assertThat(loss.getShape())
          .isEqualTo(reduction == Reduction.NONE ? new Shape(b) : new Shape());
      float[] losses = loss.toFloatArray();
      JsonNode wantLoss = expected.get("loss");
      assertThat(losses).hasSize(wantLoss.size());
      for (int i = 0; i < losses.length; i++) {
        assertClose(losses[i], wantLoss.get(i).asDouble(), "loss[" + i + "]");
      }

      float[] grad = logits.getGradient().toFloatArray();
      JsonNode wantGrad = expected.get("grad");
      assertThat(grad).hasSize(wantGrad.size());
      int nonzero = 0;
      for (int i = 0; i < grad.length; i++) {
        double e = wantGrad.get(i).asDouble();
        String where = String.format("grad[b=%d, t=%d, v=%d]", i / (t * v), i / v % t, i % v);
        if (Double.isNaN(e)) {
          // PyTorch's NaN for an impossible alignment without zero_infinity; ours is zero.
          assertThat(zeroInfinity).as(where).isFalse();
          assertThat(grad[i]).as(where).isZero();
        } else {
          assertClose(grad[i], e, where);
          nonzero += e != 0 ? 1 : 0;
        }
      }
      assertThat(nonzero).as("nonzero reference gradients").isPositive();
    }
  }

  private static void assertClose(float actual, double expected, String what) {
    if (Double.isInfinite(expected)) {
      assertThat((double) actual).as(what).isEqualTo(expected);
    } else {
      assertThat((double) actual)
          .as(what)
          .isCloseTo(expected, within(TOLERANCE * Math.max(1, Math.abs(expected))));
    }
  }
}
