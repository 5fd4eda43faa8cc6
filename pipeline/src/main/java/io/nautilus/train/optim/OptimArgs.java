package io.nautilus.train.optim;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a {@code model.optim} section for one optimizer, with errors that name the
 * optimizer and the key. A key whose value is null counts as absent, as in a Hydra config.
 */
final class OptimArgs {
  private final String optimizer;
  private final Map<String, ?> values;

  OptimArgs(String optimizer, Map<String, ?> values) {
    this.optimizer = optimizer;
    this.values = values == null ? Map.of() : values;
  }

  IllegalArgumentException error(String reason) {
    return new IllegalArgumentException("Cannot create optimizer " + optimizer + ": " + reason);
  }

  /** Rejects keys that are neither {@code allowed} nor {@code ignored}, as Python kwargs do. */
  void rejectUnknown(Set<String> allowed, Set<String> ignored) {
    for (String key : new TreeSet<>(values.keySet())) {
      if (!allowed.contains(key) && !ignored.contains(key)) {
        throw error(
            "unknown argument '"
                + key
                + "'; it takes "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  double decimal(String key, double fallback) {
    Object value = values.get(key);
    return value == null ? fallback : number(key, value);
  }

  /** A number that must be {@code >= 0}, as torch checks lr, eps, momentum and weight_decay. */
  double nonNegative(String key, double fallback) {
    double value = decimal(key, fallback);
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw error(key + " must be a finite number >= 0, got " + values.get(key));
    }
    return value;
  }

  boolean bool(String key, boolean fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw error(key + " must be true or false, got " + describe(value));
  }

  /** {@code betas}: two numbers, each in [0, 1) as torch requires. */
  double[] betas(double beta1, double beta2) {
    Object value = values.get("betas");
    if (value == null) {
      return new double[] {beta1, beta2};
    }
    List<?> items;
    if (value instanceof List<?> list) {
      items = list;
    } else if (value instanceof double[] array) {
      items = java.util.Arrays.stream(array).boxed().toList();
    } else {
      throw error("betas must be a list of 2 numbers, got " + describe(value));
    }
    if (items.size() != 2) {
      throw error("betas must be a list of 2 numbers, got " + items);
    }
    double[] betas = {number("betas", items.get(0)), number("betas", items.get(1))};
    for (double beta : betas) {
      if (!(beta >= 0 && beta < 1)) {
        throw error("betas must each be in [0, 1), got " + items);
      }
    }
    return betas;
  }

  /**
   * Numbers may come as strings: YAML 1.1 reads {@code 1e-3} (no dot) as a string, and NeMo configs
   * write {@code lr} that way.
   */
  private double number(String key, Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw error(key + " must be a number, got " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
