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
 * <p>Call it inside {@link io.nautilus.train.engine.Autograd#record()}. Two {@link Method}s: the
 * {@link Method#GRAPH} recursion uses only differentiable NDArray ops on the model's device, over
 * the batch and the extended-label axis at once and a Java loop over time, a fixed handful of ops
 * per frame; {@link Method#HOST} runs the forward-backward pass on the host and hands autograd the
 * exact gradient. The CPU default is HOST, a GPU's GRAPH.
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
 * <p>Speed of {@link Method#GRAPH}: B=8, T=400, S=80, V=29, forward and backward together after
 * warm-up, measured on the 2-core development CPU (libtorch 2.7.1) while other jobs kept its load
 * average at 10 to 13: 0.24 to 1.3 s with libtorch's default two intra-op threads, 0.1 to 0.3 s
 * with one ({@code JniUtils.setNumThreads(1)}), against 17 to 40 ms for PyTorch's fused C++ {@code
 * ctc_loss}. The cost is per-op overhead on small rows (about 18 ops per frame each way), not
 * arithmetic.
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
    Method method = logProbs.getDevice().isGpu() ? Method.GRAPH : Method.HOST;
    return loss(
        logProbs, inputLengths, targets, targetLengths, blank, reduction, zeroInfinity, method);
  }

  /**
   * How the loss and its gradient are computed. Both give the same values (CtcLossTorchTest holds
   * each to PyTorch's within 1e-4).
   */
  public enum Method {
    /**
     * The forward recursion in NDArray ops on the log-probabilities' device, differentiated by
     * autograd: a handful of small ops per frame, so its cost is per-op overhead.
     */
    GRAPH,
    /**
     * The forward-backward pass on the host in double precision ({@link HostCtc}); the gradient
     * enters autograd through a term {@code sum(logProbs * g) - detached(same)}, which is zero in
     * value and has gradient {@code g}. Costs one copy of the log-probabilities to the host and of
     * the gradient back: the default on the CPU, where it is many times faster than {@link #GRAPH}.
     */
    HOST
  }

  /**
   * {@link #loss(NDArray, NDArray, NDArray, NDArray, int, Reduction, boolean)} by {@code method}.
   */
  public static NDArray loss(
      NDArray logProbs,
      NDArray inputLengths,
      NDArray targets,
      NDArray targetLengths,
      int blank,
      Reduction reduction,
      boolean zeroInfinity,
      Method method) {
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
    long[] labels = longs(targets);
    // Built for both methods: it also checks every label against the vocabulary and the blank.
    ExtendedLabels ext =
        ExtendedLabels.of(labels, batch, maxTarget, targetLens, blank, vocabulary, NEGATIVE);
    if (method == Method.HOST) {
      return hostLoss(
          logProbs, inputs, labels, maxTarget, targetLens, blank, reduction, zeroInfinity);
    }

    NDManager caller = logProbs.getManager();
    // The temporaries live in a child of the caller's manager and are freed with it, not when this
    // method returns: autograd keeps some of them for the backward pass, and DJL backs arrays made
    // from host data with a Java direct
    // buffer that only their handle keeps alive. Closed early, backward would read freed memory.
    NDManager scope = caller.newSubManager(logProbs.getDevice());
    DataType type = logProbs.getDataType();
    NDArray logLikelihood = logLikelihood(scope, logProbs, inputs, ext, type);
    NDArray impossible = logLikelihood.lt(IMPOSSIBLE);
    NDArray fill = scope.full(new Shape(batch), zeroInfinity ? 0f : Float.POSITIVE_INFINITY, type);
    NDArray perUtterance = NDArrays.where(impossible, fill, logLikelihood.neg());
    NDArray result = reduce(scope, perUtterance, targetLens, reduction, type);
    result.attach(caller);
    return result;
  }

  private static NDArray hostLoss(
      NDArray logProbs,
      long[] inputs,
      long[] targets,
      int maxTarget,
      long[] targetLens,
      int blank,
      Reduction reduction,
      boolean zeroInfinity) {
    Shape shape = logProbs.getShape();
    int batch = (int) shape.get(0);
    int frames = (int) shape.get(1);
    int vocabulary = (int) shape.get(2);
    DataType type = logProbs.getDataType();
    double[] values;
    try (NDArray wide = logProbs.toType(DataType.FLOAT64, true)) {
      values = wide.toDoubleArray();
    }
    HostCtc.Result r =
        HostCtc.compute(
            values, batch, frames, vocabulary, inputs, targets, maxTarget, targetLens, blank);
    double[] constant = new double[batch];
    double[] grad = r.grad();
    for (int b = 0; b < batch; b++) {
      double nll = r.nll()[b];
      constant[b] = nll == Double.POSITIVE_INFINITY && zeroInfinity ? 0 : nll;
    }
    NDManager caller = logProbs.getManager();
    // As in the graph method, what autograd keeps lives until the caller's manager closes.
    NDManager scope = caller.newSubManager(logProbs.getDevice());
    Shape all = new Shape(batch, frames, vocabulary);
    NDArray g = owned(scope.create(grad, all)).toType(type, false);
    NDArray valid =
        owned(scope.create(validFrames(inputs, frames), new Shape(batch, frames, 1)))
            .broadcast(all);
    // Frames past an input's end may hold anything (NaN included) and log(0) is -infinity: both
    // would turn 0 * x into NaN, so they are replaced before the product.
    NDArray safe =
        NDArrays.where(
            valid,
            logProbs.maximum(scope.full(new Shape(), NEGATIVE, type)),
            scope.zeros(new Shape(1, 1, 1), type).broadcast(all));
    NDArray linear = safe.mul(g).sum(new int[] {1, 2});
    NDArray perUtterance =
        linear.sub(linear.stopGradient()).add(owned(scope.create(constant)).toType(type, false));
    NDArray result = reduce(scope, perUtterance, targetLens, reduction, type);
    result.attach(caller);
    return result;
  }

  private static NDArray logLikelihood(
      NDManager scope, NDArray logProbs, long[] inputs, ExtendedLabels ext, DataType type) {
    int batch = inputs.length;
    int frames = (int) logProbs.getShape().get(1);
    int width = ext.width();
    // Rows stay (B, 1, width), the shape of a frame split from (B, T, width), to spare a squeeze.
    Shape row = new Shape(batch, 1, width);
    Shape all = new Shape(batch, frames, width);
    NDArray labelIndex = owned(scope.create(ext.labels(), row)).broadcast(all);
    // Clamped so that log(0) = -infinity behaves as an impossible move; frames past an input's
    // length are zeroed so that whatever the model emitted there (even NaN) reaches no gradient.
    NDArray emissions =
        NDArrays.where(
            owned(scope.create(validFrames(inputs, frames), new Shape(batch, frames, 1)))
                .broadcast(all),
            logProbs.gather(labelIndex, 2).maximum(scope.full(new Shape(), NEGATIVE, type)),
            scope.zeros(new Shape(1, 1, 1), type).broadcast(all));
    NDList perFrame = frames > 0 ? emissions.split(frames, 1) : new NDList();
    NDArray skipPenalty = owned(scope.create(ext.skipPenalty(), row)).toType(type, false);
    NDArray padding = scope.full(new Shape(batch, 1, 2), NEGATIVE, type);
    NDArray finals = owned(scope.create(ext.finals(), new Shape(batch, 1, 2)));
    NDArray finalPenalty =
        owned(scope.create(ext.finalPenalty(), new Shape(batch, 1, 2))).toType(type, false);

    // A virtual frame before the first: only the leading blank is reached, with probability 1, so
    // the first frame's stay and advance moves enter the leading blank and the first label.
    float[] start = new float[batch * width];
    Arrays.fill(start, NEGATIVE);
    for (int b = 0; b < batch; b++) {
      start[b * width] = 0f;
    }
    NDArray alpha = owned(scope.create(start, row)).toType(type, false);
    // Rows run on past their input's end (on zero emissions) and are read when their input ends,
    // which costs a gather per distinct length instead of a mask per frame.
    NDArray ends = endsOf(scope, alpha, finals, inputs, 0, null);
    long longest = Arrays.stream(inputs).max().orElse(0);
    for (int t = 0; t < longest; t++) {
      NDArray frame = perFrame.get(t);
      NDArray next;
      NDArray padded = padding.concat(alpha, 2);
      NDArray advance = padded.get(new NDIndex(":, :, 1:{}", width + 1));
      NDArray jump = padded.get(new NDIndex(":, :, 0:{}", width)).add(skipPenalty);
      next = logSumExp(alpha, advance, jump).add(frame);
      alpha = next;
      ends = endsOf(scope, alpha, finals, inputs, t + 1, ends);
    }
    NDArray penalised = ends.add(finalPenalty);
    return logSumExp(penalised.get(":, 0, 0"), penalised.get(":, 0, 1"));
  }

  /** Marks each utterance's frames before its input length, (B, T) row-major. */
  private static boolean[] validFrames(long[] inputs, int frames) {
    boolean[] valid = new boolean[inputs.length * frames];
    for (int b = 0; b < inputs.length; b++) {
      Arrays.fill(valid, b * frames, (int) (b * frames + inputs[b]), true);
    }
    return valid;
  }

  /**
   * Reads the final positions of the utterances whose input ends after {@code consumed} frames,
   * keeping {@code previous} (null before any) for the others.
   */
  private static NDArray endsOf(
      NDManager scope,
      NDArray alpha,
      NDArray finals,
      long[] inputs,
      int consumed,
      NDArray previous) {
    int batch = inputs.length;
    boolean[] ending = new boolean[batch * 2];
    boolean any = false;
    for (int b = 0; b < batch; b++) {
      boolean ends = inputs[b] == consumed;
      ending[2 * b] = ends;
      ending[2 * b + 1] = ends;
      any |= ends;
    }
    if (!any) {
      return previous;
    }
    NDArray current = alpha.gather(finals, 2);
    if (previous == null) {
      return current;
    }
    NDArray merged =
        NDArrays.where(owned(scope.create(ending, new Shape(batch, 1, 2))), current, previous);
    current.close();
    previous.close();
    return merged;
  }

  /**
   * Element-wise log(exp(a) + exp(b) + ...), shifted by the maximum so that nothing overflows.
   * Reductions along an axis would need fewer ops, but libtorch hands them to its thread pool,
   * which costs milliseconds per call on these small rows when the cores are busy.
   */
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
      case MEAN_VOLUME ->
          losses
              .sum()
              .div(scope.full(new Shape(), Math.max(Arrays.stream(targetLengths).sum(), 1), type));
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
