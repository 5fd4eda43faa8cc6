package io.nautilus.dist;

/** How {@link ProcessGroup#allReduceScalar(double, ScalarOp)} combines one value per rank. */
public enum ScalarOp {
  /** The sum, added in rank order 0, 1, …, W-1 (so the bits are the same on every rank). */
  SUM,
  /** The largest value; NaN if any rank gives NaN (a "some rank saw NaN" flag). */
  MAX,
  /** The smallest value; NaN if any rank gives NaN. */
  MIN;

  double combine(double a, double b) {
    return switch (this) {
      case SUM -> a + b;
      case MAX -> Math.max(a, b);
      case MIN -> Math.min(a, b);
    };
  }
}
