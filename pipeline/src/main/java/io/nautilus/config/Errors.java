package io.nautilus.config;

import io.nautilus.config.RawValue.Mapping;
import io.nautilus.config.RawValue.Scalar;
import io.nautilus.config.RawValue.Seq;
import java.util.Collection;
import java.util.StringJoiner;

/** Builds the one-line messages of {@link ConfigException}s, masking credentials. */
final class Errors {
  static final String PREFIX = "Cannot load config: ";

  private Errors() {}

  static ConfigException of(String reason) {
    return new ConfigException(PREFIX + reason);
  }

  /** "; did you mean 'x'?" for the closest candidate, or "" when none is close. */
  static String didYouMean(String key, Collection<String> candidates) {
    return KeySuggester.suggest(key, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  static ConfigException unknownKey(String key, String origin, Collection<String> candidates) {
    return of("unknown key '" + key + "' (" + origin + ")" + didYouMean(key, candidates));
  }

  /** A value as error messages show it: {@code null} or quoted text, secrets masked. */
  static String shown(String key, RawValue value) {
    if (value.isNull()) {
      return "null";
    }
    return "'" + render(key, value) + "'";
  }

  private static String render(String key, RawValue value) {
    if (SecretKeys.isSecret(key)) {
      return SecretKeys.MASK;
    }
    if (value instanceof Scalar scalar) {
      return scalar.text();
    }
    if (value instanceof Seq seq) {
      StringJoiner joiner = new StringJoiner(", ", "[", "]");
      seq.items().forEach(item -> joiner.add(render(key, item)));
      return joiner.toString();
    }
    StringJoiner joiner = new StringJoiner(", ", "{", "}");
    ((Mapping) value).entries().forEach((k, v) -> joiner.add(k + ": " + render(key + "." + k, v)));
    return joiner.toString();
  }
}
