package io.nautilus.asr.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.nautilus.train.engine.Autograd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked cases on two symbols, blank 0 and label 1. Frame probabilities (blank, label) are
 * (0.4, 0.6), (0.3, 0.7), (0.5, 0.5). Over the first two frames "1" has the alignments 11, 01 and
 * 10, probability 0.42 + 0.28 + 0.18 = 0.88; the empty target has 00, 0.12. Over three frames "11"
 * has only 101, 0.6 · 0.3 · 0.5 = 0.09, and over two frames none.
 */
abstract class CtcLossContract {
  /** The method under test: every case below must hold for each. */
  abstract CtcLoss.Method method();

  private NDArray ctc(
      NDArray logProbs,
      NDArray inputs,
      NDArray targets,
      NDArray targetLengths,
      int blank,
      Reduction reduction,
      boolean zeroInfinity) {
    return CtcLoss.loss(
        logProbs, inputs, targets, targetLengths, blank, reduction, zeroInfinity, method());
  }

  private static final double[][] PROBABILITIES = {{0.4, 0.6}, {0.3, 0.7}, {0.5, 0.5}};

  private static final double ONE = -Math.log(0.88);
  private static final double EMPTY = -Math.log(0.12);
  private static final double REPEATED = -Math.log(0.09);

  private static NDArray handLogProbs(NDManager m, int batch) {
    float[] values = new float[batch * 3 * 2];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < 3; t++) {
        for (int v = 0; v < 2; v++) {
          values[(b * 3 + t) * 2 + v] = (float) Math.log(PROBABILITIES[t][v]);
        }
      }
    }
    return m.create(values, new Shape(batch, 3, 2));
  }

  /** "1" over 2 frames, "" over 2, "11" over 3 and the impossible "11" over 2. */
  private NDArray handLoss(
      NDManager m, NDArray logProbs, Reduction reduction, boolean zeroInfinity) {
    return ctc(
        logProbs,
        m.create(new int[] {2, 2, 3, 2}),
        m.create(new int[] {1, 0, 0, 0, 1, 1, 1, 1}, new Shape(4, 2)),
        m.create(new int[] {1, 0, 2, 2}),
        0,
        reduction,
        zeroInfinity);
  }

  @Test
  void handWorkedLossesAreExact() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] losses = handLoss(m, handLogProbs(m, 4), Reduction.NONE, false).toFloatArray();
      assertThat(losses[0]).isCloseTo((float) ONE, within(1e-6f));
      assertThat(losses[1]).isCloseTo((float) EMPTY, within(1e-6f));
      assertThat(losses[2]).isCloseTo((float) REPEATED, within(1e-6f));
      assertThat(losses[3]).isEqualTo(Float.POSITIVE_INFINITY);
    }
  }

  @Test
  void float64InputsGiveFloat64LossesToDoublePrecision() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      double[] values = new double[4 * 3 * 2];
      for (int i = 0; i < values.length; i++) {
        values[i] = Math.log(PROBABILITIES[i / 2 % 3][i % 2]);
      }
      NDArray losses = handLoss(m, m.create(values, new Shape(4, 3, 2)), Reduction.NONE, false);
      assertThat(losses.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(losses.toDoubleArray())
          .containsExactly(
              new double[] {ONE, EMPTY, REPEATED, Double.POSITIVE_INFINITY}, within(1e-12));
    }
  }

  @Test
  void gradientIsMinusTheAlignmentPosteriorAndZeroForTheImpossibleTarget() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs = handLogProbs(m, 4);
      logProbs.setRequiresGradient(true);
      try (Autograd a = Autograd.record()) {
        NDArray losses = handLoss(m, logProbs, Reduction.NONE, false);
        a.backward(losses.get(":3").sum());
      }
      float[] g = logProbs.getGradient().toFloatArray();
      // "1": frame 0 is blank on 01 (0.28) and label on 11, 10 (0.60); frame 1 is blank on 10.
      float[] one = {-0.28f / 0.88f, -0.60f / 0.88f, -0.18f / 0.88f, -0.70f / 0.88f, 0, 0};
      float[] empty = {-1, 0, -1, 0, 0, 0};
      float[] repeated = {0, -1, -1, 0, 0, -1};
      float[] impossible = {0, 0, 0, 0, 0, 0};
      float[][] want = {one, empty, repeated, impossible};
      for (int b = 0; b < 4; b++) {
        for (int i = 0; i < 6; i++) {
          assertThat(g[b * 6 + i])
              .as("b=%d, t=%d, v=%d", b, i / 2, i % 2)
              .isCloseTo(want[b][i], within(1e-6f));
        }
      }
    }
  }

  @Test
  void zeroInfinityGivesTheImpossibleTargetZeroLossAndZeroGradient() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs = handLogProbs(m, 4);
      logProbs.setRequiresGradient(true);
      NDArray losses;
      try (Autograd a = Autograd.record()) {
        losses = handLoss(m, logProbs, Reduction.NONE, true);
        a.backward(losses.sum());
      }
      assertThat(losses.toFloatArray()[3]).isZero();
      assertThat(logProbs.getGradient().get("3").toFloatArray()).containsOnly(0f);
      assertThat(logProbs.getGradient().get("0").toFloatArray()[1])
          .isCloseTo(-0.60f / 0.88f, within(1e-6f));
    }
  }

  @Test
  void reductionsFoldTheHandWorkedLosses() {
    double sum = ONE + EMPTY + REPEATED;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs = handLogProbs(m, 4);
      assertThat(handLoss(m, logProbs, Reduction.SUM, true).getFloat())
          .isCloseTo((float) sum, within(1e-5f));
      assertThat(handLoss(m, logProbs, Reduction.MEAN_BATCH, true).getFloat())
          .isCloseTo((float) (sum / 4), within(1e-5f));
      // Target lengths 1, 0 (counted as 1), 2 and 2.
      assertThat(handLoss(m, logProbs, Reduction.MEAN, true).getFloat())
          .isCloseTo((float) ((ONE + EMPTY + REPEATED / 2) / 4), within(1e-5f));
      assertThat(handLoss(m, logProbs, Reduction.MEAN_VOLUME, true).getFloat())
          .isCloseTo((float) (sum / 5), within(1e-5f));
      assertThat(handLoss(m, logProbs, Reduction.SUM, false).getFloat())
          .isEqualTo(Float.POSITIVE_INFINITY);
    }
  }

  @Test
  void blankAtTheLastIndexGivesTheSameLossAsTheMirroredVocabulary() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray mirrored = handLogProbs(m, 4).flip(2);
      float[] losses =
          ctc(
                  mirrored,
                  m.create(new int[] {2, 2, 3, 2}),
                  m.create(new int[] {0, 1, 1, 1, 0, 0, 0, 0}, new Shape(4, 2)),
                  m.create(new int[] {1, 0, 2, 2}),
                  1,
                  Reduction.NONE,
                  false)
              .toFloatArray();
      assertThat(losses[0]).isCloseTo((float) ONE, within(1e-6f));
      assertThat(losses[1]).isCloseTo((float) EMPTY, within(1e-6f));
      assertThat(losses[2]).isCloseTo((float) REPEATED, within(1e-6f));
      assertThat(losses[3]).isEqualTo(Float.POSITIVE_INFINITY);
    }
  }

  @Test
  void noFramesCostNothingForAnEmptyTargetAndAreImpossibleOtherwise() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] losses =
          ctc(
                  handLogProbs(m, 2),
                  m.create(new int[] {0, 0}),
                  m.create(new int[] {0, 1}, new Shape(2, 1)),
                  m.create(new int[] {0, 1}),
                  0,
                  Reduction.NONE,
                  false)
              .toFloatArray();
      assertThat(losses[0]).isCloseTo(0f, within(1e-7f));
      assertThat(losses[1]).isEqualTo(Float.POSITIVE_INFINITY);
    }
  }

  @Test
  void framesPastTheInputLengthMayHoldNaN() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      // Rows 0 and 3 read two of the three frames; their third holds NaN.
      float[] values = handLogProbs(m, 4).toFloatArray();
      for (int b : new int[] {0, 3}) {
        values[(b * 3 + 2) * 2] = Float.NaN;
        values[(b * 3 + 2) * 2 + 1] = Float.NaN;
      }
      NDArray logProbs = m.create(values, new Shape(4, 3, 2));
      logProbs.setRequiresGradient(true);
      NDArray losses;
      try (Autograd a = Autograd.record()) {
        losses = handLoss(m, logProbs, Reduction.NONE, true);
        a.backward(losses.sum());
      }
      assertThat(losses.toFloatArray())
          .containsExactly(
              new float[] {(float) ONE, (float) EMPTY, (float) REPEATED, 0f}, within(1e-6f));
      assertThat(logProbs.getGradient().toFloatArray()).doesNotContain(Float.NaN);
      assertThat(logProbs.getGradient().get("0, 2").toFloatArray()).containsExactly(0f, 0f);
    }
  }

  @Test
  void logOfZeroInputsGiveNoNaN() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs =
          m.create(
              new float[] {Float.NEGATIVE_INFINITY, 0f, 0f, Float.NEGATIVE_INFINITY},
              new Shape(1, 2, 2));
      logProbs.setRequiresGradient(true);
      NDArray losses;
      try (Autograd a = Autograd.record()) {
        // Only "10" has nonzero probability, 1; "1" then is certain and "11" impossible.
        losses =
            ctc(
                logProbs,
                m.create(new int[] {2}),
                m.create(new int[] {1}, new Shape(1, 1)),
                m.create(new int[] {1}),
                0,
                Reduction.SUM,
                true);
        a.backward(losses);
      }
      assertThat(losses.getFloat()).isCloseTo(0f, within(1e-6f));
      assertThat(logProbs.getGradient().toFloatArray()).containsExactly(0f, -1f, -1f, 0f);
    }
  }

  @Test
  void eachFramesGradientSumsToMinusOneWithinTheInputAndZeroBeyond() {
    int batch = 3;
    int frames = 12;
    int vocabulary = 5;
    Random random = new Random(5);
    float[] logits = new float[batch * frames * vocabulary];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) random.nextGaussian();
    }
    int[] inputs = {12, 7, 4};
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs = m.create(logits, new Shape(batch, frames, vocabulary)).logSoftmax(2);
      logProbs.setRequiresGradient(true);
      try (Autograd a = Autograd.record()) {
        NDArray losses =
            ctc(
                logProbs,
                m.create(inputs),
                m.create(new int[] {1, 2, 2, 3, 3, 1, 4, 4, 0}, new Shape(batch, 3)),
                m.create(new int[] {3, 3, 2}),
                0,
                Reduction.NONE,
                false);
        a.backward(losses.sum());
      }
      float[] perFrame = logProbs.getGradient().sum(new int[] {2}).toFloatArray();
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < frames; t++) {
          assertThat(perFrame[b * frames + t])
              .as("b=%d, t=%d", b, t)
              .isCloseTo(t < inputs[b] ? -1f : 0f, within(1e-5f));
        }
      }
    }
  }

  @Test
  void itsTemporariesLiveUntilTheCallersManagerClosesAndNoLonger() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs = handLogProbs(m, 4);
      logProbs.setRequiresGradient(true);
      NDArray inputs = m.create(new int[] {2, 2, 3, 2});
      NDArray targets = m.create(new int[] {1, 0, 0, 0, 1, 1, 1, 1}, new Shape(4, 2));
      NDArray lengths = m.create(new int[] {1, 0, 2, 2});
      int before = m.getManagedArrays().size();
      for (int i = 0; i < 3; i++) {
        // As the trainer does: a manager per batch, closed after the backward pass; the loss's
        // temporaries (some of which backward reads) live exactly that long.
        try (NDManager batch = m.newSubManager();
            Autograd a = Autograd.record()) {
          batch.tempAttachAll(logProbs);
          NDArray loss = ctc(logProbs, inputs, targets, lengths, 0, Reduction.MEAN_BATCH, true);

          a.backward(loss);
          assertThat(batch.getManagedArrays()).isNotEmpty();
        }
        assertThat(m.getManagedArrays()).hasSize(before);
      }
      assertThat(logProbs.getGradient().get("0").toFloatArray()[1])
          .isCloseTo(3 * -0.60f / 0.88f / 4, within(1e-6f));
    }
  }

  @Test
  void rejectsMalformedInputsWithTheOffendingValue() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray logProbs = handLogProbs(m, 2);
      NDArray inputs = m.create(new int[] {3, 3});
      NDArray targets = m.create(new int[] {1, 1, 1, 0}, new Shape(2, 2));
      NDArray lengths = m.create(new int[] {2, 1});
      assertThatThrownBy(
              () -> ctc(logProbs.get("0"), inputs, targets, lengths, 0, Reduction.SUM, true))
          .hasMessage("Cannot compute CTC loss: logProbs must be (B, T, V), got (3, 2)");
      assertThatThrownBy(() -> ctc(logProbs, inputs, targets, lengths, 2, Reduction.SUM, true))
          .hasMessage("Cannot compute CTC loss: blank 2 is outside [0, 2)");
      assertThatThrownBy(
              () -> ctc(logProbs, inputs, targets.get("0"), lengths, 0, Reduction.SUM, true))
          .hasMessage("Cannot compute CTC loss: targets must be (2, S), got (2)");
      assertThatThrownBy(
              () ->
                  ctc(
                      logProbs,
                      m.create(new int[] {3, 4}),
                      targets,
                      lengths,
                      0,
                      Reduction.SUM,
                      true))
          .hasMessage("Cannot compute CTC loss: inputLengths[1] is 4, outside [0, 3]");
      assertThatThrownBy(
              () ->
                  ctc(
                      logProbs,
                      inputs,
                      targets,
                      m.create(new int[] {3, 1}),
                      0,
                      Reduction.SUM,
                      true))
          .hasMessage("Cannot compute CTC loss: targetLengths[0] is 3, outside [0, 2]");
      assertThatThrownBy(
              () -> ctc(logProbs, inputs, targets, m.create(new int[] {1}), 0, Reduction.SUM, true))
          .hasMessage("Cannot compute CTC loss: targetLengths must have shape (2), got (1)");
      assertThatThrownBy(
              () ->
                  ctc(
                      logProbs,
                      m.create(new float[] {3, 3}),
                      targets,
                      lengths,
                      0,
                      Reduction.SUM,
                      true))
          .hasMessage("Cannot compute CTC loss: lengths and targets must be integers, got float32");
      // The second row's target is "1" followed by padding: its blank label would be read.
      assertThatThrownBy(
              () ->
                  ctc(
                      logProbs,
                      inputs,
                      targets,
                      m.create(new int[] {2, 2}),
                      0,
                      Reduction.SUM,
                      true))
          .hasMessage(
              "Cannot compute CTC loss: target 1 has label 0 at position 1, outside [0, 2) or"
                  + " equal to the blank 0");
    }
  }

  @Test
  void reductionsParseNemoNames() {
    assertThat(Reduction.of("mean_batch")).isEqualTo(Reduction.MEAN_BATCH);
    assertThat(Reduction.of("mean_volume")).isEqualTo(Reduction.MEAN_VOLUME);
    assertThat(Reduction.of("none")).isEqualTo(Reduction.NONE);
    assertThatThrownBy(() -> Reduction.of("avg"))
        .hasMessage(
            "Cannot parse CTC reduction 'avg': expected one of none, sum, mean_batch, mean,"
                + " mean_volume");
  }
}
