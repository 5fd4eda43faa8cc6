package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/** Small functional pieces the blocks share. */
final class TensorOps {
  private TensorOps() {}

  /** Gated linear unit over {@code axis}: the first half times the sigmoid of the second. */
  static NDArray glu(NDArray x, int axis) {
    NDList halves = x.split(2, axis);
    return halves.get(0).mul(Activation.sigmoid(halves.get(1)));
  }

  /** Swish / SiLU, {@code x * sigmoid(x)}. */
  static NDArray swish(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /**
   * Inverted dropout while training, identity otherwise. It draws from the engine's process-wide
   * generator, so runs with a rate above 0 are not bit-reproducible when several ranks share a JVM.
   */
  static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate == 0f) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
  }
}
