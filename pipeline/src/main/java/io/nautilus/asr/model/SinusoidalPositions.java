package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The Transformer's absolute positions: {@code pe[t][2i] = sin(t / 10000^(2i/d))}, {@code
 * pe[t][2i+1] = cos(t / 10000^(2i/d))}, as NeMo's {@code PositionalEncoding} builds them.
 */
final class SinusoidalPositions {
  private SinusoidalPositions() {}

  /** A (1, frames, d) table on {@code manager}, computed in double precision. */
  static NDArray table(NDManager manager, long frames, int d, DataType type) {
    float[] values = new float[Math.toIntExact(frames * d)];
    for (int j = 0; j < d; j++) {
      double rate = Math.exp(-Math.log(10000.0) * (j - j % 2) / d);
      boolean sine = j % 2 == 0;
      for (int t = 0; t < frames; t++) {
        double angle = t * rate;
        values[t * d + j] = (float) (sine ? Math.sin(angle) : Math.cos(angle));
      }
    }
    return manager.create(values, new Shape(1, frames, d)).toType(type, false);
  }
}
