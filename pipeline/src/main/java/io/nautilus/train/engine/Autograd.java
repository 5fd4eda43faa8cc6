package io.nautilus.train.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records operations for backward on the calling thread only.
 *
 * <p>DJL's own {@code PtGradientCollector} allows one collector per JVM, but Spark runs several
 * training ranks as threads of one executor JVM in local mode. PyTorch's grad mode is thread-local,
 * so this scope sets it for the calling thread and restores the previous mode on close. Gradients
 * accumulate across {@link #backward} calls until {@link #zeroGradients} is called.
 */
public final class Autograd implements AutoCloseable {
  static {
    // JniUtils calls need the native library, which loading the engine brings in.
    Engine.getEngine("PyTorch");
  }

  private final boolean previous;

  private Autograd(boolean enabled) {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enabled);
  }

  /** Starts recording on this thread. */
  public static Autograd record() {
    return new Autograd(true);
  }

  /** Stops recording on this thread, e.g. around optimizer updates and evaluation. */
  public static Autograd pause() {
    return new Autograd(false);
  }

  /** Back-propagates a scalar loss, adding to each parameter's gradient. */
  public void backward(NDArray loss) {
    if (loss.getShape().size() != 1) {
      throw new IllegalArgumentException(
          "Cannot back-propagate: the loss must be a scalar, got shape " + loss.getShape());
    }
    try (NDArray seed = loss.onesLike()) {
      JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }
  }

  /** Sets a parameter's gradient to zero, even where it holds NaN or infinity. */
  public static void zeroGradient(NDArray parameter) {
    if (parameter.hasGradient()) {
      JniUtils.zeroGrad((PtNDArray) parameter);
    }
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
