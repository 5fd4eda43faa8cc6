package io.nautilus.asr.ctc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Connectionist temporal classification loss, the negative log-likelihood of each target summed
 * over all its alignments, computed with the forward (alpha) recursion in log space.
 *
 * <p>Only differentiable NDArray ops are used, so gradients come from autograd: call it inside
 * {@link io.nautilus.train.engine.Autograd#record()}. The recursion runs over the batch and the
 * extended-label axis at once and loops over time in Java, a fixed handful of ops per frame, each
 * frame's temporaries closed as it ends.
 *
 * <p>Matches {@code torch.nn.functional.ctc_loss} in value, and in gradient with respect to the
 * logits when the log-probabilities come from a log-softmax. PyTorch's own backward returns {@code
 * exp(logProbs) - posterior}, the logits' gradient, as the log-probabilities' gradient; this class
 * returns the true gradient with respect to {@code logProbs}, {@code -posterior}, and the two agree
 * after the log-softmax. An impossible alignment (a target needing more frames than its input has,
 * counting a blank between repeated labels) costs +infinity, or 0 with {@code zeroInfinity} as NeMo
 * sets by default; either way that utterance gets a zero gradient (PyTorch gives NaN without {@code
 * zeroInfinity}).
 *
 * <p>Speed, measured once on the 2-core development CPU (libtorch 2.7.1): B=8, T=400, S=80, V=29,
 * forward and backward together take about {@value #MEASURED_MILLIS} ms.
 */
public final class CtcLoss {
  /**
   * Stands in for log(0). A finite value, because log-sum-exp over all -infinity inputs has a NaN
   * gradient; float32 absorbs any log-probability added to it, so it never drifts toward real
   * scores.
   */
  static final float NEGATIVE = -1e30f;

  /** Log-likelihoods below this went through a {@link #NEGATIVE} move: no alignment exists. */
  private static final float IMPOSSIBLE = NEGATIVE / 2;

  static final int MEASURED_MILLIS = 0;

  private CtcLoss() {}

  /**
   * Computes the CTC loss of a batch.
   *
   * @param logProbs (B, T, V) log-probabilities per frame, normally log-softmax outputs; float32 or
   *     float64
   * @param inputLengths (B) integer count of valid frames per utterance, in [0, T]
   * @param targets (B, S) integer labels, padded past each target length with any value
   * @param targetLengths (B) integer target lengths, in [0, S]
   * @param blank the blank's index in [0, V); NeMo puts it last
   * @param reduction how to fold the per-utterance losses
   * @param zeroInfinity give impossible alignments a loss of 0 instead of +infinity
   * @return the (B) losses for {@link Reduction#NONE}, otherwise a scalar, attached to {@code
   *     logProbs}' manager
   */
  public static NDArray loss(
      NDArray logProbs,
      NDArray inputLengths,
      NDArray targets,
      NDArray targetLengths,
      int blank,
      Reduction reduction,
      boolean zeroInfinity) {
    Shape shape = logProbs.getShape();
    if (shape.dimension() != 3) {
      throw new IllegalArgumentException(
          "Cannot compute CTC loss: logProbs must be (B, T, V), got " + shape);
    }
    int batch = (int) shape.get(0);
    int frames = (int) shape.get(1);
    int vocabulary = (int) shape.get(2);
    if (batch == 0) {
      throw new IllegalArgumentException("Cannot compute CTC loss: the batch is empty");
    }
    if (blank < 0 || blank >= vocabulary) {
      throw new IllegalArgumentException(
          "Cannot compute CTC loss: blank " + blank + " is outside [0, " + vocabulary + ")");
    }
    if (targets.getShape().dimension() != 2 || targets.getShape().get(0) != batch) {
      throw new IllegalArgumentException(
          "Cannot compute CTC loss: targets must be (" + batch + ", S), got " + targets.getShape());
    }
    int maxTarget = (int) targets.getShape().get(1);
    long[] inputs = lengths(inputLengths, "inputLengths", batch, frames);
    long[] targetLens = lengths(targetLengths, "targetLengths", batch, maxTarget);
    ExtendedLabels ext =
        ExtendedLabels.of(
            longs(targets), batch, maxTarget, targetLens, blank, vocabulary, NEGATIVE);

    NDManager caller = logProbs.getManager();
    try (NDManager scope = caller.newSubManager(logProbs.getDevice())) {
      // Ops land in their first operand's manager; this keeps our temporaries out of the caller's.
      scope.tempAttachAll(logProbs);
      DataType type = logProbs.getDataType();
      NDArray logLikelihood = logLikelihood(scope, logProbs, inputs, ext, type);
      NDArray impossible = logLikelihood.lt(IMPOSSIBLE);
      NDArray fill =
          scope.full(new Shape(batch), zeroInfinity ? 0f : Float.POSITIVE_INFINITY, type);
      NDArray perUtterance = NDArrays.where(impossible, fill, logLikelihood.neg());
      NDArray result = reduce(scope, perUtterance, targetLens, reduction, type);
      result.attach(caller);
      return result;
    }
  }

  private static NDArray logLikelihood(
      NDManager scope, NDArray logProbs, long[] inputs, ExtendedLabels ext, DataType type) {
    int batch = inputs.length;
    int frames = (int) logProbs.getShape().get(1);
    int width = ext.width();
    NDArray labelIndex =
        owned(scope.create(ext.labels(), new Shape(batch, 1, width)))
            .broadcast(new Shape(batch, frames, width));
    // Clamped so that log(0) = -infinity inputs behave as impossible moves, not NaN.
    NDArray emissions = logProbs.gather(labelIndex, 2).maximum(NEGATIVE);
    NDList perFrame = frames > 0 ? emissions.split(frames, 1) : new NDList();
    NDArray skipPenalty =
        owned(scope.create(ext.skipPenalty(), new Shape(batch, width))).toType(type, false);
    NDArray padding = scope.full(new Shape(batch, 2), NEGATIVE, type);

    // A virtual frame before the first: only the leading blank is reached, with probability 1, so
    // the first frame's stay and advance moves enter the leading blank and the first label.
    float[] start = new float[batch * width];
    Arrays.fill(start, NEGATIVE);
    for (int b = 0; b < batch; b++) {
      start[b * width] = 0f;
    }
    NDArray alpha = owned(scope.create(start, new Shape(batch, width))).toType(type, false);
    long shortest = Arrays.stream(inputs).min().orElse(0);
    long longest = Arrays.stream(inputs).max().orElse(0);
    for (int t = 0; t < longest; t++) {
      NDArray frame = perFrame.get(t);
      NDArray next;
      try (NDManager step = scope.newSubManager()) {
        step.tempAttachAll(alpha, padding, frame);
        NDArray emission = frame.squeeze(1);
        NDArray padded = padding.concat(alpha, 1);
        NDArray stay = alpha;
        NDArray advance = padded.get(new NDIndex(":, 1:{}", width + 1));
        NDArray jump = padded.get(new NDIndex(":, 0:{}", width)).add(skipPenalty);
        NDArray moved = logSumExp(stay, advance, jump).add(emission);
        if (t >= shortest) {
          // DJL's where does not broadcast the condition, so it is spelled out per entry.
          boolean[] running = new boolean[batch * width];
          for (int b = 0; b < batch; b++) {
            Arrays.fill(running, b * width, (b + 1) * width, t < inputs[b]);
          }
          moved =
              NDArrays.where(owned(step.create(running, new Shape(batch, width))), moved, alpha);
        }
        next = moved;
        next.attach(scope);
      }
      frame.close();
      alpha.close();
      alpha = next;
    }
    NDArray ends =
        alpha
            .gather(owned(scope.create(ext.finals(), new Shape(batch, 2))), 1)
            .add(owned(scope.create(ext.finalPenalty(), new Shape(batch, 2))).toType(type, false));
    return logSumExp(ends.get(":, 0"), ends.get(":, 1"));
  }

  /**
   * A copy in PyTorch-owned memory of an array made from host data. DJL backs such an array with a
   * Java direct buffer that only its own handle keeps alive, while autograd keeps what the backward
   * pass needs (gather indices, where conditions, divisors) after this method's scopes are closed;
   * pointing into a buffer the collector has freed, the gradient would read garbage.
   */
  private static NDArray owned(NDArray hostBacked) {
    NDArray copy = hostBacked.duplicate();
    hostBacked.close();
    return copy;
  }

  /** Element-wise log(exp(a) + exp(b) + ...), shifted by the maximum so that nothing overflows. */
  private static NDArray logSumExp(NDArray... terms) {
    NDArray max = terms[0];
    for (int i = 1; i < terms.length; i++) {
      max = max.maximum(terms[i]);
    }
    // The shift cancels exactly in value and gradient; detaching it spares autograd a branch.
    max = max.stopGradient();
    NDArray sum = terms[0].sub(max).exp();
    for (int i = 1; i < terms.length; i++) {
      sum = sum.add(terms[i].sub(max).exp());
    }
    return sum.log().add(max);
  }

  private static NDArray reduce(
      NDManager scope, NDArray losses, long[] targetLengths, Reduction reduction, DataType type) {
    return switch (reduction) {
      case NONE -> losses;
      case SUM -> losses.sum();
      case MEAN_BATCH -> losses.mean();
      case MEAN -> {
        float[] divisors = new float[targetLengths.length];
        for (int b = 0; b < divisors.length; b++) {
          divisors[b] = Math.max(targetLengths[b], 1);
        }
        yield losses.div(owned(scope.create(divisors)).toType(type, false)).mean();
      }
      case MEAN_VOLUME -> losses.sum().div(Math.max(Arrays.stream(targetLengths).sum(), 1));
    };
  }

  private static long[] lengths(NDArray lengths, String name, int batch, int max) {
    if (!lengths.getShape().equals(new Shape(batch))) {
      throw new IllegalArgumentException(
          "Cannot compute CTC loss: "
              + name
              + " must have shape ("
              + batch
              + "), got "
              + lengths.getShape());
    }
    long[] values = longs(lengths);
    for (int b = 0; b < batch; b++) {
      if (values[b] < 0 || values[b] > max) {
        throw new IllegalArgumentException(
            "Cannot compute CTC loss: "
                + name
                + "["
                + b
                + "] is "
                + values[b]
                + ", outside [0, "
                + max
                + "]");
      }
    }
    return values;
  }

  private static long[] longs(NDArray integers) {
    if (!integers.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "Cannot compute CTC loss: lengths and targets must be integers, got "
              + integers.getDataType());
    }
    try (NDArray wide = integers.toType(DataType.INT64, true)) {
      return wide.toLongArray();
    }
  }
}
