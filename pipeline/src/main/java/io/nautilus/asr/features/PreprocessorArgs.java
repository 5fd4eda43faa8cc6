package io.nautilus.asr.features;

import java.util.Map;

/**
 * Typed reads of a {@code preprocessor} section. A key whose value is null counts as absent, as in
 * a Hydra config, except where NeMo gives null a meaning (read with {@link #has}).
 */
final class PreprocessorArgs {
  static final String PREFIX = "Cannot read preprocessor config: ";

  private final Map<String, ?> values;

  PreprocessorArgs(Map<String, ?> values) {
    this.values = values;
  }

  boolean present(String key) {
    return values.containsKey(key);
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  int integer(String key, int fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    double number = number(key, value);
    if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          PREFIX + key + " must be a whole number, got " + describe(value));
    }
    return (int) number;
  }

  double decimal(String key, double fallback) {
    Object value = values.get(key);
    return value == null ? fallback : number(key, value);
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
    throw new IllegalArgumentException(
        PREFIX + key + " must be true or false, got " + describe(value));
  }

  String string(String key, String fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(PREFIX + key + " must be a string, got " + describe(value));
  }

  Object raw(String key) {
    return values.get(key);
  }

  /** YAML 1.1 reads {@code 1e-5} (no dot) as a string, so numbers may come quoted. */
  double number(String key, Object value) {
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
    throw new IllegalArgumentException(PREFIX + key + " must be a number, got " + describe(value));
  }

  static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
