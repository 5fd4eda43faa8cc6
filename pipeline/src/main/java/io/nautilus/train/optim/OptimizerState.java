package io.nautilus.train.optim;

import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * An optimizer's state as host arrays, for checkpoints.
 *
 * @param optimizer the {@link Optimizer#name()} that saved it
 * @param steps updates done
 * @param slots keyed {@code "<param name>/<slot>"} (e.g. {@code fc1_weight/exp_avg}), each the
 *     flattened slot in row-major order; slots have their weight's shape except Novograd's {@code
 *     exp_avg_sq} and {@code max_exp_avg_sq}, which are one value per parameter
 */
public record OptimizerState(String optimizer, long steps, LinkedHashMap<String, float[]> slots) {
  public OptimizerState {
    Objects.requireNonNull(optimizer, "optimizer is null");
    Objects.requireNonNull(slots, "slots is null");
    if (steps < 0) {
      throw new IllegalArgumentException(
          "Cannot create optimizer state: steps must be >= 0, got " + steps);
    }
  }
}
