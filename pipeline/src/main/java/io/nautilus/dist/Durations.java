package io.nautilus.dist;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as messages show them: {@code 60 s}, {@code 0.5 s}. */
final class Durations {
  private Durations() {}

  static String format(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString()
        + " s";
  }
}
