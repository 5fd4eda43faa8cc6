package io.nautilus.asr.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed reads of one section of the model config, named by its dotted path ({@code encoder}, {@code
 * encoder.jasper[0]}) in every message. A key whose value is null counts as absent, as in a Hydra
 * config.
 */
final class ModelArgs {
  static final String PREFIX = "Cannot read model config: ";

  private final String path;
  private final Map<String, ?> values;

  ModelArgs(String path, Map<String, ?> values) {
    this.path = path;
    this.values = values;
  }

  /** Rejects keys outside {@code valid}, naming the first in sorted order. */
  void rejectUnknown(List<String> valid) {
    for (String key : new TreeSet<>(values.keySet())) {
      if (!valid.contains(key)) {
        throw error(
            "unknown key '" + qualified(key) + "'; valid keys: " + String.join(", ", valid));
      }
    }
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
      throw error(qualified(key) + " must be a whole number, got " + describe(value));
    }
    return (int) number;
  }

  int requiredInteger(String key) {
    require(key);
    return integer(key, 0);
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
    throw error(qualified(key) + " must be true or false, got " + describe(value));
  }

  String string(String key, String fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    throw error(qualified(key) + " must be a string, got " + describe(value));
  }

  /** A section: a map with string keys. */
  Map<String, ?> section(String key) {
    return asSection(qualified(key), values.get(key));
  }

  /** {@code value} as a section named {@code path}: a map with string keys. */
  static Map<String, ?> asSection(String path, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          PREFIX
              + (value == null
                  ? path + " is missing"
                  : path + " must be a section of keys, got " + describe(value)));
    }
    for (Object k : map.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException(
            PREFIX + path + " has a key that is not a string: " + describe(k));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) map;
    return typed;
  }

  /** A list; a single value stands for a list of one, as NeMo's {@code kernel: 11} does. */
  List<?> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      throw error(qualified(key) + " is missing");
    }
    if (value instanceof List<?> l) {
      return l;
    }
    List<Object> one = new ArrayList<>();
    one.add(value);
    return one;
  }

  /** A whole number given alone or as NeMo's one-element list ({@code kernel: [11]}). */
  int singleInteger(String key, int fallback) {
    Object value = values.get(key);
    if (value instanceof List<?> l) {
      if (l.size() != 1) {
        throw error(qualified(key) + " must hold one value (1-D convolution), got " + l);
      }
      return new ModelArgs(path, Map.of(key, l.get(0))).integer(key, fallback);
    }
    return integer(key, fallback);
  }

  void require(String key) {
    if (!has(key)) {
      throw error(qualified(key) + " is missing");
    }
  }

  String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  IllegalArgumentException error(String reason) {
    return new IllegalArgumentException(PREFIX + reason);
  }

  /** YAML 1.1 reads {@code 1e-5} (no dot) as a string, so numbers may come quoted. */
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
    throw error(qualified(key) + " must be a number, got " + describe(value));
  }

  static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
