package io.nautilus.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value as written by the user, before interpolation and before it is typed by the schema.
 * Scalars keep their text so that a STRING key set to {@code 0123} or {@code no} stays exactly
 * that, instead of going through YAML's implicit typing first.
 */
sealed interface RawValue extends Serializable {

  /** The NeMo/OmegaConf marker for a value that must be supplied later. */
  String MANDATORY_TEXT = "???";

  /**
   * A scalar; {@code plain} is false for quoted and block scalars, which are always strings (so
   * that {@code 'null'} and {@code '???'} can be written as text).
   */
  record Scalar(String text, boolean plain) implements RawValue {
    public Scalar {
      if (text == null) {
        throw new IllegalArgumentException("Cannot create a scalar: text is null");
      }
    }

    public boolean isNull() {
      return plain && TypedValues.isNullText(text);
    }

    public boolean isMandatory() {
      return plain && MANDATORY_TEXT.equals(text);
    }
  }

  record Seq(List<RawValue> items) implements RawValue {
    public Seq {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }
  }

  record Mapping(Map<String, RawValue> entries) implements RawValue {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }

  Scalar NULL = new Scalar("null", true);
  Scalar MANDATORY = new Scalar(MANDATORY_TEXT, true);

  default boolean isNull() {
    return false;
  }

  default boolean isMandatory() {
    return false;
  }

  /** The raw form of a typed Java value (a schema default or a value of a resolved config). */
  static RawValue of(Object value) {
    if (value == null) {
      return NULL;
    }
    if (value instanceof String s) {
      return new Scalar(s, false);
    }
    if (value instanceof Double d) {
      return new Scalar(TypedValues.formatDouble(d), true);
    }
    if (value instanceof Float f) {
      return new Scalar(TypedValues.formatDouble(f.doubleValue()), true);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return new Scalar(value.toString(), true);
    }
    if (value instanceof List<?> list) {
      return new Seq(list.stream().map(RawValue::of).toList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, RawValue> entries = new LinkedHashMap<>();
      map.forEach((k, v) -> entries.put(String.valueOf(k), of(v)));
      return new Mapping(entries);
    }
    throw new IllegalArgumentException(
        "Cannot use a " + value.getClass().getName() + " as a config value: " + value);
  }
}
