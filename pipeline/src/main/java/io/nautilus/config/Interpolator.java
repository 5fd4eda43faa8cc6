package io.nautilus.config;

import io.nautilus.config.RawConfig.Entry;
import io.nautilus.config.RawValue.Mapping;
import io.nautilus.config.RawValue.Scalar;
import io.nautilus.config.RawValue.Seq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolves OmegaConf-style interpolations in raw values: {@code ${a.b}} (a value that is exactly
 * one reference takes the referenced value whole, with its type; a reference inside longer text is
 * concatenated as text), {@code ${oc.env:VAR}} and {@code ${oc.env:VAR,default}}. {@code \${} is a
 * literal {@code ${}. References are resolved depth-first, so a cycle is found and named.
 */
final class Interpolator {
  private static final String ENV = "oc.env:";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * @param entries the resolved values, in the input's order and with its origins
   * @param derivedSecrets keys whose value embeds or copies a secret's value
   */
  record Result(Map<String, Entry> entries, Set<String> derivedSecrets) {}

  private final ConfigSchema schema;
  private final Map<String, Entry> entries;
  private final Function<String, String> env;
  private final Map<String, RawValue> resolved = new HashMap<>();
  private final LinkedHashSet<String> inProgress = new LinkedHashSet<>();
  private final Set<String> derivedSecrets = new HashSet<>();

  private Interpolator(
      ConfigSchema schema, Map<String, Entry> entries, Function<String, String> env) {
    this.schema = schema;
    this.entries = entries;
    this.env = env;
  }

  static Result resolve(
      ConfigSchema schema, Map<String, Entry> entries, Function<String, String> env) {
    Interpolator interpolator = new Interpolator(schema, entries, env);
    Map<String, Entry> out = new LinkedHashMap<>();
    entries.forEach(
        (key, entry) -> out.put(key, new Entry(interpolator.resolveKey(key), entry.origin())));
    return new Result(out, Set.copyOf(interpolator.derivedSecrets));
  }

  private RawValue resolveKey(String key) {
    RawValue done = resolved.get(key);
    if (done != null) {
      return done;
    }
    if (!inProgress.add(key)) {
      List<String> stack = new ArrayList<>(inProgress);
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(key), stack.size()));
      cycle.add(key);
      throw Errors.of(
          "interpolation cycle "
              + cycle.stream().map(k -> "'" + k + "'").collect(Collectors.joining(" -> "))
              + " ("
              + entries.get(key).origin()
              + ")");
    }
    RawValue value = resolveValue(entries.get(key).value(), key);
    inProgress.remove(key);
    resolved.put(key, value);
    return value;
  }

  private RawValue resolveValue(RawValue value, String key) {
    if (value instanceof Scalar scalar) {
      return scalar.text().contains("${") ? resolveText(scalar.text(), key) : scalar;
    }
    if (value instanceof Seq seq) {
      return new Seq(seq.items().stream().map(item -> resolveValue(item, key)).toList());
    }
    Map<String, RawValue> out = new LinkedHashMap<>();
    ((Mapping) value).entries().forEach((k, v) -> out.put(k, resolveValue(v, key)));
    return new Mapping(out);
  }

  private RawValue resolveText(String text, String key) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      if (open < 0) {
        out.append(text, i, text.length());
        break;
      }
      if (open > 0 && text.charAt(open - 1) == '\\') {
        out.append(text, i, open - 1).append("${");
        i = open + 2;
        continue;
      }
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw fail(key, "has an unterminated interpolation in " + shownText(key, text));
      }
      String token = text.substring(open, close + 1);
      String expression = text.substring(open + 2, close).trim();
      if (expression.contains("${")) {
        throw fail(
            key,
            "has a nested interpolation in " + shownText(key, text) + ", which is not supported");
      }
      RawValue value = evaluate(expression, token, key);
      if (open == 0 && close == text.length() - 1) {
        // The whole value is one reference: keep the referenced value and its type.
        return value;
      }
      out.append(text, i, open).append(embeddable(value, token, key));
      i = close + 1;
    }
    return new Scalar(out.toString(), false);
  }

  private RawValue evaluate(String expression, String token, String key) {
    if (expression.startsWith(ENV)) {
      return environment(expression.substring(ENV.length()), token, key);
    }
    if (expression.isEmpty()) {
      throw fail(key, "has an empty interpolation '${}'");
    }
    if (expression.contains(":")) {
      throw fail(
          key,
          "uses the unsupported resolver '"
              + token
              + "'; only '${key}', '${oc.env:VAR}' and '${oc.env:VAR,default}' are supported");
    }
    return reference(expression, token, key);
  }

  private RawValue environment(String arguments, String token, String key) {
    int comma = arguments.indexOf(',');
    String name = (comma < 0 ? arguments : arguments.substring(0, comma)).trim();
    if (!ENV_NAME.matcher(name).matches()) {
      throw fail(key, "names an invalid environment variable in '" + token + "'");
    }
    if (SecretKeys.isSecret(name)) {
      derivedSecrets.add(key);
    }
    String value = env.apply(name);
    if (value != null) {
      return new Scalar(value, false);
    }
    if (comma < 0) {
      throw fail(
          key,
          "refers to environment variable '"
              + name
              + "', which is not set; set it or give a default: '${oc.env:"
              + name
              + ",default}'");
    }
    String fallback = arguments.substring(comma + 1).trim();
    if (fallback.length() >= 2
        && (fallback.startsWith("'") && fallback.endsWith("'")
            || fallback.startsWith("\"") && fallback.endsWith("\""))) {
      return new Scalar(fallback.substring(1, fallback.length() - 1), false);
    }
    // Unquoted, the default is a plain scalar, so ${oc.env:VAR,null} gives null.
    return new Scalar(fallback, true);
  }

  private RawValue reference(String target, String token, String key) {
    KeyPlacement placement = schema.place(target);
    RawValue value =
        switch (placement.kind()) {
          case DECLARED, OPEN_ENTRY -> entries.containsKey(target) ? resolveKey(target) : null;
          case MAP_ENTRY -> inMap(resolveKey(placement.key().name()), placement.subKey(target));
          case OPEN_ROOT -> openMap(target);
          case SECTION ->
              throw fail(
                  key,
                  "refers to '" + target + "' in '" + token + "', which is a section, not a value");
          case UNKNOWN -> null;
        };
    if (value == null && placement.isFree()) {
      throw fail(
          key,
          "refers to '" + target + "' in '" + token + "', which is not set",
          Errors.didYouMean(target, entries.keySet()));
    }
    if (value == null) {
      Set<String> candidates = new LinkedHashSet<>(schema.names());
      candidates.addAll(entries.keySet());
      throw fail(
          key,
          "refers to unknown key '" + target + "' in '" + token + "'",
          Errors.didYouMean(target, candidates));
    }
    if (value.isMandatory()) {
      throw fail(key, "refers to '" + target + "', which has no value (???)");
    }
    if (SecretKeys.isSecret(target) || derivedSecrets.contains(target)) {
      derivedSecrets.add(key);
    }
    return value;
  }

  private static RawValue inMap(RawValue root, String subKey) {
    RawValue current = root;
    for (String segment : subKey.split("\\.")) {
      if (!(current instanceof Mapping mapping)) {
        return null;
      }
      current = mapping.entries().get(segment);
    }
    return current;
  }

  private RawValue openMap(String root) {
    Map<String, RawValue> map = new LinkedHashMap<>();
    String prefix = root + ".";
    for (String entry : entries.keySet()) {
      if (entry.startsWith(prefix)) {
        map.put(entry.substring(prefix.length()), resolveKey(entry));
      }
    }
    return new Mapping(map);
  }

  private String embeddable(RawValue value, String token, String key) {
    if (value instanceof Scalar scalar && !scalar.isNull()) {
      return scalar.text();
    }
    String what = value instanceof Seq ? "a list" : value instanceof Mapping ? "a mapping" : "null";
    throw fail(
        key,
        "embeds '"
            + token
            + "' in a longer string, but it is "
            + what
            + "; only strings, numbers and booleans can be embedded");
  }

  private static String shownText(String key, String text) {
    return SecretKeys.isSecret(key) ? "'" + SecretKeys.MASK + "'" : "'" + text + "'";
  }

  private ConfigException fail(String key, String problem) {
    return fail(key, problem, "");
  }

  private ConfigException fail(String key, String problem, String suffix) {
    return Errors.of(
        "key '" + key + "' " + problem + " (" + entries.get(key).origin() + ")" + suffix);
  }
}
