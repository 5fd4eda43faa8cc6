package io.nautilus.config;

import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Applies Hydra-style command-line overrides: {@code key.sub=value} sets a key that exists, {@code
 * +key.sub=value} may also add a free key below an open map or a MAP value ({@code ++} is read as
 * {@code +}). A value that starts with {@code [}, <code>{</code> or a quote is parsed as YAML flow
 * syntax; any other value is a plain scalar taken literally ({@code a: b} stays one string), typed
 * later by the schema.
 */
final class Overrides {
  private Overrides() {}

  static void apply(ConfigSchema schema, RawConfig target, List<String> overrides) {
    Objects.requireNonNull(overrides, "overrides is null");
    for (String override : overrides) {
      apply(schema, target, Objects.requireNonNull(override, "override is null"));
    }
  }

  private static void apply(ConfigSchema schema, RawConfig target, String override) {
    if (override.startsWith("~")) {
      throw Errors.of(
          "override '" + override + "' removes a key, which is not supported; set it instead");
    }
    boolean add = override.startsWith("+");
    String body =
        override.startsWith("++") ? override.substring(2) : add ? override.substring(1) : override;
    int equals = body.indexOf('=');
    String key = equals < 0 ? "" : body.substring(0, equals).trim();
    if (key.isEmpty()) {
      // Without '=' there is no telling key from value; show only the first word, in case the
      // rest is a credential typed with a space instead of '='.
      String firstWord = override.strip().split("\\s+", 2)[0];
      String shown = firstWord.equals(override) ? override : firstWord + " ...";
      throw Errors.of(
          "override '" + shown + "' must look like 'key=value' (or '+key=value' to add a key)");
    }
    String value = body.substring(equals + 1).trim();
    boolean mask =
        SecretKeys.isSecret(key)
            || KeySuggester.suggest(key, schema.names()).map(SecretKeys::isSecret).orElse(false);
    String shownValue = mask ? SecretKeys.MASK : value;
    String shownOverride = mask ? (add ? "+" : "") + key + "=" + shownValue : override;
    for (String segment : key.split("\\.", -1)) {
      if (segment.isEmpty() || segment.chars().anyMatch(Character::isWhitespace)) {
        throw Errors.of("override '" + shownOverride + "' has an invalid key '" + key + "'");
      }
    }
    String origin = "command-line override '" + shownOverride + "'";

    KeyPlacement placement = schema.place(key);
    switch (placement.kind()) {
      case UNKNOWN -> {
        if (!add) {
          throw Errors.unknownKey(key, origin, schema.names());
        }
        List<String> openMaps = schema.openMaps();
        String where =
            openMaps.isEmpty()
                ? "this schema has no open map, so no key can be added"
                : "new keys can only be added below an open map ("
                    + String.join(", ", openMaps)
                    + ")";
        throw Errors.of(
            "cannot add unknown key '"
                + key
                + "' ("
                + origin
                + "): "
                + where
                + Errors.didYouMean(key, schema.names()));
      }
      case OPEN_ENTRY, MAP_ENTRY -> {
        if (!add && !target.isSet(key, placement)) {
          throw Errors.of(
              "unknown key '"
                  + key
                  + "' ("
                  + origin
                  + "); use '+"
                  + key
                  + "="
                  + shownValue
                  + "' to add a new key below '"
                  + placement.key().name()
                  + "'");
        }
      }
      default -> {}
    }
    Node node = parseValue(value, origin);
    NodeWalker.forOverride(schema, target, origin).walk(node, key, 1);
  }

  private static Node parseValue(String value, String origin) {
    if (value.isEmpty()) {
      // Hydra reads "key=" as the empty string, not as null.
      return new ScalarNode(Tag.STR, "", null, null, ScalarStyle.DOUBLE_QUOTED);
    }
    char first = value.charAt(0);
    if (first != '[' && first != '{' && first != '\'' && first != '"') {
      return new ScalarNode(Tag.STR, value, null, null, ScalarStyle.PLAIN);
    }
    Node node = YamlSource.parse(value, "the value of " + origin);
    boolean fits =
        switch (first) {
          case '[' -> node instanceof SequenceNode;
          case '{' -> node instanceof MappingNode;
          default -> node instanceof ScalarNode scalar && !scalar.isPlain();
        };
    if (!fits) {
      throw Errors.of(
          "cannot read the value of "
              + origin
              + ": it must be a single YAML flow value"
              + " (a [list], a {mapping} or a quoted string)");
    }
    return node;
  }
}
