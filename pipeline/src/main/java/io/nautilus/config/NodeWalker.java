package io.nautilus.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Writes a YAML tree into a {@link RawConfig}, following the schema: sections are descended into, a
 * declared key takes its node whole, and mappings below an open map are flattened into dotted free
 * keys. A dotted YAML key ({@code trainer.max_steps: 5}) is the same as the nested form.
 */
final class NodeWalker {
  private final ConfigSchema schema;
  private final RawConfig target;
  private final String sourceName;
  private final IntFunction<String> originAtLine;
  private final Map<String, Integer> firstLines = new HashMap<>();

  private NodeWalker(
      ConfigSchema schema, RawConfig target, String sourceName, IntFunction<String> originAtLine) {
    this.schema = schema;
    this.target = target;
    this.sourceName = sourceName;
    this.originAtLine = originAtLine;
  }

  /** A walker for a YAML file or text; origins name the source and line. */
  static NodeWalker forFile(ConfigSchema schema, RawConfig target, String sourceName) {
    return new NodeWalker(schema, target, sourceName, line -> sourceName + ", line " + line);
  }

  /** A walker for the value of one override; every origin is the override itself. */
  static NodeWalker forOverride(ConfigSchema schema, RawConfig target, String origin) {
    return new NodeWalker(schema, target, origin, line -> origin);
  }

  /** Walks a whole document, which must be a mapping (or empty). */
  void walkDocument(Node root) {
    if (root == null || isNull(root)) {
      return;
    }
    if (!(root instanceof MappingNode mapping)) {
      throw Errors.of(
          sourceName
              + " must hold a mapping of keys at the top level, got "
              + describe("", root)
              + " (line "
              + YamlSource.line(root)
              + ")");
    }
    walkMapping(mapping, "");
  }

  /** Walks {@code node} as the value at {@code path}. */
  void walk(Node node, String path, int line) {
    KeyPlacement placement = schema.place(path);
    switch (placement.kind()) {
      case DECLARED, MAP_ENTRY -> set(path, placement, node, line);
      case OPEN_ENTRY -> {
        if (node instanceof MappingNode mapping) {
          walkMapping(mapping, path);
        } else {
          set(path, placement, node, line);
        }
      }
      case SECTION, OPEN_ROOT -> {
        if (node instanceof MappingNode mapping) {
          walkMapping(mapping, path);
        } else if (!isNull(node)) {
          String what =
              placement.kind() == KeyPlacement.Kind.OPEN_ROOT ? "an open map" : "a section";
          throw Errors.of(
              "key '"
                  + path
                  + "' is "
                  + what
                  + " and must be a mapping, got "
                  + describe(path, node)
                  + " ("
                  + originAtLine.apply(line)
                  + ")");
        }
      }
      case UNKNOWN -> {
        // Descend so that the error names the full key, which gives the best suggestion.
        if (node instanceof MappingNode mapping && !mapping.getValue().isEmpty()) {
          walkMapping(mapping, path);
        } else {
          throw Errors.unknownKey(path, originAtLine.apply(line), schema.names());
        }
      }
    }
  }

  private void walkMapping(MappingNode mapping, String path) {
    for (NodeTuple tuple : mapping.getValue()) {
      int line = YamlSource.line(tuple.getKeyNode());
      String key = YamlSource.keyText(tuple.getKeyNode(), originAtLine.apply(line));
      String child = path.isEmpty() ? key : path + "." + key;
      for (String segment : key.split("\\.", -1)) {
        if (segment.isEmpty()) {
          throw Errors.of(
              "key '" + child + "' has an empty segment (" + originAtLine.apply(line) + ")");
        }
      }
      walk(tuple.getValueNode(), child, line);
    }
  }

  private void set(String path, KeyPlacement placement, Node node, int line) {
    Integer first = firstLines.putIfAbsent(path, line);
    if (first != null) {
      throw Errors.of(
          "duplicate key '"
              + path
              + "' ("
              + originAtLine.apply(line)
              + "; first set on line "
              + first
              + ")");
    }
    RawValue value = YamlSource.toRaw(node, path, sourceName);
    target.set(path, placement, value, originAtLine.apply(line));
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar
        && scalar.isPlain()
        && TypedValues.isNullText(scalar.getValue());
  }

  private static String describe(String path, Node node) {
    if (node instanceof ScalarNode scalar) {
      return Errors.shown(path, new RawValue.Scalar(scalar.getValue(), scalar.isPlain()));
    }
    return YamlSource.kind(node);
  }
}
