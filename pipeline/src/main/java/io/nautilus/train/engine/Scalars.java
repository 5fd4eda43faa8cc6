package io.nautilus.train.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars for arithmetic inside an autograd graph.
 *
 * <p>DJL's {@code mul(Number)}, {@code div(Number)} and friends make the scalar from host data and
 * close it right after the op. PyTorch's backward still reads it (the gradient of {@code x * s} is
 * {@code g * s}), and the Java direct buffer behind it may be freed by then, so the gradient would
 * read whatever reuses that memory. A scalar made by PyTorch itself, in the operand's manager,
 * lives as long as the batch and owns its memory.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code value} as a 0-d array of {@code like}'s type, device and manager. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }
}
