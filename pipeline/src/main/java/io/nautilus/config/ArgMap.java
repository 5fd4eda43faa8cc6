package io.nautilus.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one section of a NeMo-style config held as a plain map (a model, preprocessor,
 * optimizer or schedule section), for code that takes such a section apart itself rather than
 * through a {@link ConfigSchema}.
 *
 * <p>A key whose value is null counts as absent, as in a Hydra config; {@link #present} tells the
 * two apart where NeMo gives null a meaning. Numbers may arrive as strings, because YAML 1.1 reads
 * {@code 1e-5} (no dot) as one and NeMo configs write learning rates that way.
 *
 * <p>Every error is an {@link IllegalArgumentException} "Cannot &lt;action&gt;: &lt;key&gt;
 * &lt;reason&gt;", where the key is prefixed with the section's dotted path when it has one ({@code
 * encoder.n_layers}) and string values are quoted ({@code got 'abc'}).
 */
public final class ArgMap {
  /** Beyond 2^53 a double no longer holds every whole number; stay well below. */
  private static final double LONG_LIMIT = 1e15;

  private final String action;
  private final String path;
  private final Map<String, ?> values;

  private ArgMap(String action, String path, Map<String, ?> values) {
    this.action = Objects.requireNonNull(action, "action is null");
    this.path = Objects.requireNonNull(path, "path is null");
    this.values = Objects.requireNonNull(values, "values is null");
  }

  /**
   * A section whose keys are named as they are.
   *
   * @param action what the caller was doing, for "Cannot &lt;action&gt;: ...", e.g. {@code create
   *     optimizer adam}
   */
  public static ArgMap of(String action, Map<String, ?> values) {
    return new ArgMap(action, "", values);
  }

  /**
   * A section at dotted {@code path} (e.g. {@code encoder.jasper[0]}), whose keys messages name as
   * {@code path.key}; an empty path names them as they are.
   */
  public static ArgMap of(String action, String path, Map<String, ?> values) {
    return new ArgMap(action, path, values);
  }

  /** Whether the key is there at all, even with a null value. */
  public boolean present(String key) {
    return values.containsKey(key);
  }

  /** Whether the key has a non-null value. */
  public boolean has(String key) {
    return values.get(key) != null;
  }

  /** The value as it is, null when absent. */
  public Object raw(String key) {
    return values.get(key);
  }

  /** The key as messages name it: with the section's path in front. */
  public String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** "Cannot &lt;action&gt;: &lt;reason&gt;", for the caller to throw. */
  public IllegalArgumentException error(String reason) {
    return new IllegalArgumentException("Cannot " + action + ": " + reason);
  }

  /**
   * The first key, in sorted order, that {@code accepted} does not hold; null when there is none.
   */
  public String firstUnknown(Collection<String> accepted) {
    for (String key : new TreeSet<>(values.keySet())) {
      if (!accepted.contains(key)) {
        return key;
      }
    }
    return null;
  }

  /**
   * Rejects a key outside {@code valid}, naming the first in sorted order and listing {@code valid}
   * in its own order: "unknown key 'encoder.x'; valid keys: a, b".
   */
  public void rejectUnknown(Collection<String> valid) {
    String unknown = firstUnknown(valid);
    if (unknown != null) {
      throw error("unknown key '" + name(unknown) + "'; valid keys: " + String.join(", ", valid));
    }
  }

  /**
   * Rejects a key that is neither {@code allowed} nor {@code ignored}, naming the first in sorted
   * order, as Python rejects an unexpected keyword argument: "unknown &lt;noun&gt; 'k'; it takes
   * &lt;allowed, sorted&gt;".
   *
   * @param noun what a key is to the reader: {@code key}, or {@code argument} for a torch optimizer
   * @param ignored keys that are accepted but not listed, such as NeMo's bookkeeping keys
   */
  public void rejectUnexpected(
      String noun, Collection<String> allowed, Collection<String> ignored) {
    Set<String> accepted = new HashSet<>(allowed);
    accepted.addAll(ignored);
    String unknown = firstUnknown(accepted);
    if (unknown != null) {
      throw error(
          "unknown "
              + noun
              + " '"
              + name(unknown)
              + "'; it takes "
              + String.join(", ", new TreeSet<>(allowed)));
    }
  }

  /** Fails with "&lt;key&gt; is missing" unless the key has a value. */
  public void require(String key) {
    if (!has(key)) {
      throw error(name(key) + " is missing");
    }
  }

  /** A whole number that fits an int ({@code 10.0} and {@code "10"} included). */
  public int integer(String key, int fallback) {
    Object value = values.get(key);
    return value == null ? fallback : toInteger(key, value);
  }

  /** A whole number that fits an int, which must be there. */
  public int requiredInteger(String key) {
    require(key);
    return integer(key, 0);
  }

  /**
   * A whole number as a long, or null when absent. Integral values are taken as they are; others
   * ({@code 10.0}, as YAML writers sometimes produce it) must be exact and within 1e15.
   */
  public Long wholeNumber(String key) {
    Object value = values.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    return (long) whole(key, value, LONG_LIMIT);
  }

  public double decimal(String key, double fallback) {
    Object value = values.get(key);
    return value == null ? fallback : toNumber(key, value);
  }

  /** {@code true} or {@code false}, as a boolean or a string in any case. */
  public boolean bool(String key, boolean fallback) {
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
    throw error(name(key) + " must be true or false, got " + describe(value));
  }

  /** A string; other scalars are errors, not converted. */
  public String string(String key, String fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    throw error(name(key) + " must be a string, got " + describe(value));
  }

  /** A list, which must be there; a single value stands for a list of one ({@code kernel: 11}). */
  public List<?> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      throw error(name(key) + " is missing");
    }
    if (value instanceof List<?> l) {
      return l;
    }
    List<Object> one = new ArrayList<>();
    one.add(value);
    return one;
  }

  /** A nested section, which must be there: a map with string keys. */
  public Map<String, ?> section(String key) {
    return asSection(name(key), values.get(key));
  }

  /** {@code value} as a section that messages call {@code fullName}: a map with string keys. */
  public Map<String, ?> asSection(String fullName, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(
          value == null
              ? fullName + " is missing"
              : fullName + " must be a section of keys, got " + describe(value));
    }
    for (Object k : map.keySet()) {
      if (!(k instanceof String)) {
        throw error(fullName + " has a key that is not a string: " + describe(k));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) map;
    return typed;
  }

  /**
   * {@code value}, read under {@code key}, as a number: a Number or a string that parses as one.
   */
  public double toNumber(String key, Object value) {
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
    throw error(name(key) + " must be a number, got " + describe(value));
  }

  /** {@code value}, read under {@code key}, as a whole number that fits an int. */
  public int toInteger(String key, Object value) {
    return (int) whole(key, value, Integer.MAX_VALUE);
  }

  /** A value as messages show it: strings quoted, so {@code '80'} and {@code 80} differ. */
  public static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }

  private double whole(String key, Object value, double limit) {
    double number = toNumber(key, value);
    if (number != Math.rint(number) || Math.abs(number) > limit) {
      throw error(name(key) + " must be a whole number, got " + describe(value));
    }
    return number;
  }
}
