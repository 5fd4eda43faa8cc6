package io.nautilus.config;

/** The type of a configuration value, declared per key in a {@link ConfigSchema}. */
public enum ValueType {
  STRING("a string"),
  INT("an integer"),
  LONG("an integer"),
  DOUBLE("a number"),
  BOOLEAN("a boolean (true or false)"),
  STRING_LIST("a list of strings"),
  INT_LIST("a list of integers"),
  DOUBLE_LIST("a list of numbers"),
  /** A free-form nested mapping whose entries are strings, numbers, booleans, lists or maps. */
  MAP("a mapping");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  /** How error messages name this type, e.g. "an integer". */
  public String description() {
    return description;
  }

  boolean isList() {
    return this == STRING_LIST || this == INT_LIST || this == DOUBLE_LIST;
  }

  /** The element type of a list type. */
  ValueType elementType() {
    return switch (this) {
      case STRING_LIST -> STRING;
      case INT_LIST -> INT;
      case DOUBLE_LIST -> DOUBLE;
      default -> throw new IllegalStateException(this + " is not a list type");
    };
  }
}
