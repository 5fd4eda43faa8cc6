package io.nautilus.config;

import io.nautilus.config.KeyPlacement.Kind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys a job accepts, with their types, defaults and documentation. Keys are full dotted paths
 * ({@code trainer.max_steps}); the sections between them ({@code trainer}) follow from the keys.
 *
 * <pre>{@code
 * ConfigSchema schema = ConfigSchema.builder()
 *     .required("input.manifests", ValueType.STRING_LIST, "manifests to read")
 *     .optional("trainer.max_steps", ValueType.INT, -1, "stop after this many steps")
 *     .openMap("spark.conf", "extra Spark conf, any keys")
 *     .build();
 * }</pre>
 */
public final class ConfigSchema implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

  private final Map<String, ConfigKey> keys;
  private final Set<String> sections;

  private ConfigSchema(Builder builder) {
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(builder.keys));
    Set<String> prefixes = new HashSet<>();
    for (String name : keys.keySet()) {
      for (int i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) {
        String prefix = name.substring(0, i);
        if (keys.containsKey(prefix)) {
          throw new IllegalArgumentException(
              "Cannot build config schema: key '"
                  + name
                  + "' is below '"
                  + prefix
                  + "', which is a value, not a section");
        }
        prefixes.add(prefix);
      }
    }
    this.sections = Collections.unmodifiableSet(prefixes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The declared keys in declaration order. */
  public List<ConfigKey> keys() {
    return List.copyOf(keys.values());
  }

  public Optional<ConfigKey> key(String name) {
    return Optional.ofNullable(keys.get(name));
  }

  /**
   * A listing of every key with its type, default and doc, one per line, for {@code --help}. A
   * required key shows {@code ???} as its default; an open map shows as {@code key.*}.
   */
  public String describe() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KEY", "TYPE", "DEFAULT", "DESCRIPTION"});
    for (ConfigKey key : keys.values()) {
      String name = key.openMap() ? key.name() + ".*" : key.name();
      String type = key.openMap() ? "MAP (any keys)" : key.type().name();
      String value;
      if (key.required()) {
        value = RawValue.MANDATORY_TEXT;
      } else if (key.defaultValue() != null && SecretKeys.isSecret(key.name())) {
        value = SecretKeys.MASK;
      } else {
        value = YamlEmitter.flow(key.defaultValue());
      }
      rows.add(new String[] {name, type, value, key.doc()});
    }
    int[] widths = new int[3];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      out.append(line.append(row[3]).toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** Where {@code path} falls in this schema; the empty path is the top-level section. */
  KeyPlacement place(String path) {
    ConfigKey key = keys.get(path);
    if (key != null) {
      return new KeyPlacement(key.openMap() ? Kind.OPEN_ROOT : Kind.DECLARED, key);
    }
    if (path.isEmpty() || sections.contains(path)) {
      return new KeyPlacement(Kind.SECTION, null);
    }
    for (int i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
      ConfigKey ancestor = keys.get(path.substring(0, i));
      if (ancestor != null) {
        if (ancestor.openMap()) {
          return new KeyPlacement(Kind.OPEN_ENTRY, ancestor);
        }
        if (ancestor.type() == ValueType.MAP) {
          return new KeyPlacement(Kind.MAP_ENTRY, ancestor);
        }
        break;
      }
    }
    return new KeyPlacement(Kind.UNKNOWN, null);
  }

  /** The declared key names, for did-you-mean suggestions. */
  Set<String> names() {
    return keys.keySet();
  }

  /** The open maps, for hints on where {@code +key=value} works. */
  List<String> openMaps() {
    return keys.values().stream().filter(ConfigKey::openMap).map(ConfigKey::name).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigSchema other && keys.equals(other.keys);
  }

  @Override
  public int hashCode() {
    return keys.hashCode();
  }

  @Override
  public String toString() {
    return "ConfigSchema" + keys.keySet();
  }

  /** Collects keys; {@link #build()} checks that no key sits below another. */
  public static final class Builder {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    private Builder() {}

    /** A key the user must set; its default is {@code ???}. */
    public Builder required(String key, ValueType type, String doc) {
      return add(new ConfigKey(key, type, true, null, doc, false));
    }

    /**
     * A key with a default. A null default makes the key nullable: it then accepts {@code null}.
     * The default must fit the type (an Integer is fine for LONG and DOUBLE).
     */
    public Builder optional(String key, ValueType type, Object defaultValue, String doc) {
      Object typed;
      try {
        typed = TypedValues.convert(RawValue.of(defaultValue), type);
      } catch (TypedValues.Mismatch | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Cannot declare config key '"
                + key
                + "': default "
                + defaultValue
                + " is not "
                + type.description(),
            e);
      }
      return add(new ConfigKey(key, type, false, typed, doc, false));
    }

    /**
     * A mapping below which any key may be set, by YAML or by {@code +key.sub=value}; the values
     * are scalars. Keys below it may contain dots, as Spark and Hadoop conf keys do.
     */
    public Builder openMap(String key, String doc) {
      return add(new ConfigKey(key, ValueType.MAP, false, Map.of(), doc, true));
    }

    /**
     * Adds every key of {@code other}, e.g. a common {@code spark.*} part. A key declared the same
     * way twice is kept once; declared differently, it is an error.
     */
    public Builder include(ConfigSchema other) {
      Objects.requireNonNull(other, "other is null");
      other.keys.values().forEach(this::add);
      return this;
    }

    public ConfigSchema build() {
      return new ConfigSchema(this);
    }

    private Builder add(ConfigKey key) {
      for (String segment : key.name().split("\\.", -1)) {
        if (!SEGMENT.matcher(segment).matches()) {
          throw new IllegalArgumentException(
              "Cannot declare config key '"
                  + key.name()
                  + "': segments must be non-empty and use only letters, digits, '_' and '-'");
        }
      }
      ConfigKey existing = keys.putIfAbsent(key.name(), key);
      if (existing != null && !existing.equals(key)) {
        throw new IllegalArgumentException(
            "Cannot declare config key '"
                + key.name()
                + "': it is already declared differently ("
                + existing
                + ")");
      }
      return this;
    }
  }
}
