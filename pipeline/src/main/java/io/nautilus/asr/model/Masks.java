package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.LongUnaryOperator;

/** Valid-frame masks from per-utterance lengths, and the length arithmetic that goes with them. */
final class Masks {
  private Masks() {}

  /**
   * A (B, T) mask: 1 for frames before each utterance's length, 0 after, of data type {@code type}.
   */
  static NDArray frames(NDArray lengths, long frames, DataType type) {
    NDArray positions = lengths.getManager().arange(0, frames, 1, DataType.INT64);
    return positions
        .expandDims(0)
        .lt(lengths.toType(DataType.INT64, false).expandDims(1))
        .toType(type, false);
  }

  /** Lengths after {@code rule}, computed on the host: lengths are small and few. */
  static NDArray map(NDArray lengths, LongUnaryOperator rule) {
    long[] values = lengths.toType(DataType.INT64, false).toLongArray();
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = rule.applyAsLong(values[i]);
    }
    return lengths.getManager().create(out, new Shape(out.length));
  }

  /** Zeroes the time frames of a (B, C, T) array past each length. */
  static NDArray channelsFirst(NDArray x, NDArray lengths) {
    long frames = x.getShape().get(2);
    return x.mul(frames(lengths, frames, x.getDataType()).expandDims(1));
  }

  static void checkLengths(NDArray lengths, long batch, String owner) {
    if (!lengths.getShape().equals(new Shape(batch)) || !lengths.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "Cannot run "
              + owner
              + ": lengths must be integers of shape ("
              + batch
              + "), got "
              + lengths.getDataType()
              + " "
              + lengths.getShape());
    }
  }
}
