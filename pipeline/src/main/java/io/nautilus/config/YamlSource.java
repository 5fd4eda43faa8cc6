package io.nautilus.config;

import io.nautilus.config.RawValue.Mapping;
import io.nautilus.config.RawValue.Scalar;
import io.nautilus.config.RawValue.Seq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses YAML text into SnakeYAML nodes (which keep line numbers) and nodes into raw values.
 * SnakeYAML's own messages quote the offending line; only the problem and position are kept so that
 * a credential on that line is never echoed.
 */
final class YamlSource {
  /** Deeper than any sane config; stops a recursive alias from overflowing the stack. */
  private static final int MAX_DEPTH = 64;

  private YamlSource() {}

  /** The single document in {@code text}, or null when it is empty or only comments. */
  static Node parse(String text, String originName) {
    LoaderOptions options = new LoaderOptions();
    try {
      Composer composer =
          new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options);
      return composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      String where =
          mark == null
              ? originName
              : originName
                  + ", line "
                  + (mark.getLine() + 1)
                  + ", column "
                  + (mark.getColumn() + 1);
      throw new ConfigException("Cannot load config: invalid YAML in " + where + ": " + problem);
    } catch (YAMLException e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new ConfigException(
          "Cannot load config: invalid YAML in " + originName + ": " + message);
    }
  }

  static int line(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }

  /** "a mapping", "a list" or the scalar's text, for messages about a misplaced node. */
  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  /**
   * The text of a mapping key; keys must be scalars.
   *
   * @param origin where the mapping is, for the error
   */
  static String keyText(Node keyNode, String origin) {
    if (keyNode instanceof ScalarNode scalar) {
      if (scalar.getTag().equals(Tag.MERGE)) {
        throw new ConfigException(
            "Cannot load config: YAML merge keys ('<<') are not supported (" + origin + ")");
      }
      return scalar.getValue();
    }
    throw new ConfigException(
        "Cannot load config: mapping keys must be scalars, got "
            + kind(keyNode)
            + " ("
            + origin
            + ")");
  }

  /**
   * Converts a node to a raw value. Keys of nested mappings are kept literally (a dot in them is
   * not a path separator: that is for free-form MAP values).
   *
   * @param path the full dotted key of the node, for errors
   * @param originName the file or text the node came from, for errors with a line number
   */
  static RawValue toRaw(Node node, String path, String originName) {
    return toRaw(node, path, originName, 0);
  }

  private static RawValue toRaw(Node node, String path, String originName, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ConfigException(
          "Cannot load config: values nested deeper than "
              + MAX_DEPTH
              + " levels are not supported ("
              + originName
              + ", line "
              + line(node)
              + ")");
    }
    if (node instanceof ScalarNode scalar) {
      return new Scalar(scalar.getValue(), scalar.isPlain());
    }
    if (node instanceof SequenceNode sequence) {
      List<RawValue> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(toRaw(item, path, originName, depth + 1));
      }
      return new Seq(items);
    }
    MappingNode mapping = (MappingNode) node;
    Map<String, RawValue> entries = new LinkedHashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      int line = line(tuple.getKeyNode());
      String key = keyText(tuple.getKeyNode(), originName + ", line " + line);
      Integer first = lines.putIfAbsent(key, line);
      if (first != null) {
        throw new ConfigException(
            "Cannot load config: duplicate key '"
                + path
                + "."
                + key
                + "' ("
                + originName
                + ", line "
                + line
                + "; first set on line "
                + first
                + ")");
      }
      entries.put(key, toRaw(tuple.getValueNode(), path + "." + key, originName, depth + 1));
    }
    return new Mapping(entries);
  }
}
