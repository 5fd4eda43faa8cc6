package io.nautilus.train.ckpt;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor in row-major order: {@code data.length} equals the product of {@code shape} (an
 * empty shape is a scalar of one element).
 *
 * <p>The arrays are shared, not copied: a checkpoint of a large model must not hold its weights
 * twice. Equality compares contents, so tests and callers can compare tensors directly.
 */
public record Tensor(long[] shape, float[] data) {
  public Tensor {
    Objects.requireNonNull(shape, "shape is null");
    Objects.requireNonNull(data, "data is null");
    long elements = elements(shape);
    if (elements != data.length) {
      throw new IllegalArgumentException(
          "Cannot make tensor of shape "
              + Arrays.toString(shape)
              + ": it needs "
              + elements
              + " values, got "
              + data.length);
    }
  }

  /** A tensor of shape {@code [data.length]}. */
  public static Tensor vector(float... data) {
    return new Tensor(new long[] {data.length}, data);
  }

  /**
   * The number of elements a shape holds.
   *
   * @throws IllegalArgumentException for a negative dimension or a product beyond {@code long}
   */
  public static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Cannot use shape " + Arrays.toString(shape) + ": dimension " + d + " is negative");
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "Cannot use shape " + Arrays.toString(shape) + ": it holds more than 2^63 values", e);
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
