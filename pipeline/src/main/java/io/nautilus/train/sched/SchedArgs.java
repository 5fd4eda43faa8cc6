package io.nautilus.train.sched;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a {@code sched} section for one schedule, with errors that name the schedule and
 * the key. A key whose value is null counts as absent, as in a Hydra config.
 */
final class SchedArgs {
  private final String schedule;
  private final Map<String, ?> values;

  SchedArgs(String schedule, Map<String, ?> values) {
    this.schedule = schedule;
    this.values = values;
  }

  String schedule() {
    return schedule;
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  /** Rejects keys that are neither {@code allowed} nor NeMo bookkeeping, as NeMo's kwargs do. */
  void rejectUnknown(Set<String> allowed, Set<String> ignored) {
    for (String key : new TreeSet<>(values.keySet())) {
      if (!allowed.contains(key) && !ignored.contains(key)) {
        throw new IllegalArgumentException(
            "Cannot create "
                + schedule
                + ": unknown key '"
                + key
                + "'; it takes "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** A whole number, accepting {@code 10.0} as YAML writers sometimes produce it. */
  Long wholeNumber(String key) {
    Object value = values.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    double number = number(key, value);
    if (number != Math.rint(number) || Math.abs(number) > 1e15) {
      throw new IllegalArgumentException(
          "Cannot create " + schedule + ": " + key + " must be a whole number, got " + value);
    }
    return (long) number;
  }

  Double decimal(String key) {
    Object value = values.get(key);
    return value == null ? null : number(key, value);
  }

  Boolean bool(String key) {
    Object value = values.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(
        "Cannot create "
            + schedule
            + ": "
            + key
            + " must be true or false, got "
            + describe(value));
  }

  /**
   * Numbers may come as strings: YAML 1.1 reads {@code 1e-6} (no dot) as a string, and OmegaConf
   * users write it that way for {@code min_lr}.
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
    throw new IllegalArgumentException(
        "Cannot create " + schedule + ": " + key + " must be a number, got " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
