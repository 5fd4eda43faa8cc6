package io.nautilus.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Writes typed values as YAML that reads back to the same values, here and in YAML 1.1 readers
 * such as PyYAML: strings that could be read as anything else are double-quoted, and a literal
 * {@code ${} is escaped so that it is not taken for an interpolation.
 */
final class YamlEmitter {
  private static final Pattern PLAIN_STRING =
      Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*|(?!0[xob])[0-9]+[A-Za-z]+");
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");

  /** YAML 1.1 reads these as booleans. */
  private static final Set<String> YAML11_WORDS = Set.of("yes", "no", "on", "off", "y", "n");

  private static final int INDENT = 2;

  private YamlEmitter() {}

  /** A block-style YAML document for a nested map of typed values. */
  static String document(Map<String, Object> root) {
    if (root.isEmpty()) {
      return "{}\n";
    }
    StringBuilder out = new StringBuilder();
    mapping(out, root, 0);
    return out.toString();
  }

  private static void mapping(StringBuilder out, Map<?, ?> map, int indent) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.append(" ".repeat(indent)).append(key(String.valueOf(entry.getKey()))).append(':');
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
        out.append('\n');
        mapping(out, nested, indent + INDENT);
      } else if (value instanceof List<?> list && !list.isEmpty()) {
        out.append('\n');
        for (Object item : list) {
          out.append(" ".repeat(indent + INDENT)).append("- ").append(flow(item)).append('\n');
        }
      } else {
        out.append(' ').append(flow(value)).append('\n');
      }
    }
  }

  /** A one-line (flow style) rendering of a typed value. */
  static String flow(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringJoiner joiner = new StringJoiner(", ", "{", "}");
      map.forEach((k, v) -> joiner.add(key(String.valueOf(k)) + ": " + flow(v)));
      return joiner.toString();
    }
    if (value instanceof List<?> list) {
      StringJoiner joiner = new StringJoiner(", ", "[", "]");
      list.forEach(item -> joiner.add(flow(item)));
      return joiner.toString();
    }
    return scalar(value);
  }

  static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double d) {
      return TypedValues.formatDouble(d);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String text = value.toString().replace("${", "\\${");
    if (PLAIN_STRING.matcher(text).matches()
        && !TypedValues.looksTyped(text)
        && !YAML11_WORDS.contains(text.toLowerCase(Locale.ROOT))) {
      return text;
    }
    return quoted(text);
  }

  private static String key(String key) {
    boolean plain =
        PLAIN_KEY.matcher(key).matches()
            && !TypedValues.looksTyped(key)
            && !YAML11_WORDS.contains(key.toLowerCase(Locale.ROOT));
    return plain ? key : quoted(key);
  }

  private static String quoted(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
