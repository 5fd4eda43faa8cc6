package io.nautilus.config;

import io.nautilus.config.RawValue.Mapping;
import io.nautilus.config.RawValue.Scalar;
import io.nautilus.config.RawValue.Seq;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns raw values into typed Java values. Scalars are typed from their text, so a number that
 * arrived as a string (from {@code ${oc.env:STEPS}} or a quoted YAML value) is still accepted.
 * Implicit typing of free-form values follows the YAML 1.2 core schema, where {@code yes}/{@code
 * no} are strings and {@code 1e3} is a float.
 */
final class TypedValues {
  private static final Pattern NULL = Pattern.compile("null|Null|NULL|~|");
  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
  private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

  /** Thrown when a value does not fit a type; carries what was expected, e.g. "an integer". */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;

    Mismatch(String expected) {
      super(expected, null, false, false);
    }

    String expected() {
      return getMessage();
    }
  }

  private TypedValues() {}

  static boolean isNullText(String text) {
    return NULL.matcher(text).matches();
  }

  /**
   * Converts {@code raw} to the Java form of {@code type}: String, Integer, Long, Double, Boolean,
   * an unmodifiable List of those, or an unmodifiable Map for MAP. A YAML null gives null; whether
   * null is allowed is the caller's decision.
   */
  static Object convert(RawValue raw, ValueType type) throws Mismatch {
    if (raw.isNull()) {
      return null;
    }
    if (type == ValueType.MAP) {
      if (raw instanceof Mapping mapping) {
        return implicitMap(mapping);
      }
      throw new Mismatch(type.description());
    }
    if (type.isList()) {
      if (!(raw instanceof Seq seq)) {
        throw new Mismatch(type.description());
      }
      List<Object> items = new ArrayList<>(seq.items().size());
      for (RawValue item : seq.items()) {
        if (!(item instanceof Scalar scalar) || scalar.isNull()) {
          throw new Mismatch(type.description());
        }
        try {
          items.add(convertScalar(scalar, type.elementType()));
        } catch (Mismatch e) {
          throw new Mismatch(type.description());
        }
      }
      return Collections.unmodifiableList(items);
    }
    if (!(raw instanceof Scalar scalar)) {
      throw new Mismatch(type.description());
    }
    return convertScalar(scalar, type);
  }

  private static Object convertScalar(Scalar scalar, ValueType type) throws Mismatch {
    String text = scalar.text();
    return switch (type) {
      case STRING -> text;
      case INT -> (int) integral(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG -> integral(text, Long.MIN_VALUE, Long.MAX_VALUE);
      case DOUBLE -> parseDouble(text);
      case BOOLEAN -> parseBoolean(text);
      default -> throw new IllegalStateException("Cannot convert a scalar to " + type);
    };
  }

  private static long integral(String text, long min, long max) throws Mismatch {
    String t = text.trim();
    BigDecimal value;
    if (INT.matcher(t).matches()) {
      value = new BigDecimal(new BigInteger(t));
    } else if (FLOAT.matcher(t).matches()) {
      value = new BigDecimal(t);
      // A double is accepted for an integer only when it has no fractional part (2.0, 1e3).
      if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
        throw new Mismatch("an integer");
      }
    } else {
      throw new Mismatch("an integer");
    }
    if (value.compareTo(BigDecimal.valueOf(min)) < 0
        || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new Mismatch("an integer between " + min + " and " + max);
    }
    return value.longValueExact();
  }

  private static double parseDouble(String text) throws Mismatch {
    String t = text.trim();
    if (INF.matcher(t).matches()) {
      return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (NAN.matcher(t).matches()) {
      return Double.NaN;
    }
    if (!FLOAT.matcher(t).matches()) {
      throw new Mismatch("a number");
    }
    double value = Double.parseDouble(t);
    if (Double.isInfinite(value)) {
      throw new Mismatch("a number within the range of a double");
    }
    return value;
  }

  private static boolean parseBoolean(String text) throws Mismatch {
    String t = text.trim();
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    if (t.equalsIgnoreCase("false")) {
      return false;
    }
    throw new Mismatch(ValueType.BOOLEAN.description());
  }

  /**
   * Types a free-form value (an entry of an open map or of a MAP value): null, Boolean, Long,
   * Double or String for scalars, unmodifiable List and Map for collections.
   */
  static Object implicit(RawValue raw) {
    if (raw instanceof Scalar scalar) {
      return implicitScalar(scalar);
    }
    if (raw instanceof Seq seq) {
      List<Object> items = new ArrayList<>(seq.items().size());
      seq.items().forEach(item -> items.add(implicit(item)));
      return Collections.unmodifiableList(items);
    }
    return implicitMap((Mapping) raw);
  }

  private static Map<String, Object> implicitMap(Mapping mapping) {
    Map<String, Object> map = new LinkedHashMap<>();
    mapping.entries().forEach((k, v) -> map.put(k, implicit(v)));
    return Collections.unmodifiableMap(map);
  }

  static Object implicitScalar(Scalar scalar) {
    String text = scalar.text();
    if (!scalar.plain()) {
      return text;
    }
    if (NULL.matcher(text).matches()) {
      return null;
    }
    if (BOOL.matcher(text).matches()) {
      return Boolean.valueOf(text.equalsIgnoreCase("true"));
    }
    if (INT.matcher(text).matches()) {
      BigInteger value = new BigInteger(text);
      return value.bitLength() < Long.SIZE ? (Object) value.longValue() : text;
    }
    if (FLOAT.matcher(text).matches()) {
      double value = Double.parseDouble(text);
      return Double.isInfinite(value) ? text : (Object) value;
    }
    if (INF.matcher(text).matches()) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (NAN.matcher(text).matches()) {
      return Double.NaN;
    }
    return text;
  }

  /** True if a plain scalar with this text would not be read back as the same string. */
  static boolean looksTyped(String text) {
    return NULL.matcher(text).matches()
        || BOOL.matcher(text).matches()
        || INT.matcher(text).matches()
        || FLOAT.matcher(text).matches()
        || INF.matcher(text).matches()
        || NAN.matcher(text).matches();
  }

  /**
   * Formats a double so that it reads back identically here and as a float in YAML 1.1 readers
   * (PyYAML wants a signed exponent: {@code 1.0e+10}, not {@code 1.0E10}).
   */
  static String formatDouble(double value) {
    if (Double.isNaN(value)) {
      return ".nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? ".inf" : "-.inf";
    }
    String text = Double.toString(value);
    int e = text.indexOf('E');
    if (e < 0) {
      return text;
    }
    String exponent = text.substring(e + 1);
    return text.substring(0, e) + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
  }
}
