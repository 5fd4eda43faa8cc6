package io.nautilus.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A loaded, resolved and validated job configuration. Immutable and serializable, so Spark can ship
 * it to executors. Getters return the typed value of a declared key (null only for a nullable key
 * set to null); asking for an undeclared key or with the wrong getter is a programming error
 * ({@link IllegalArgumentException}).
 *
 * <p>Two configs are equal when their schemas and values are; where values came from is not
 * compared.
 */
public final class Config implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ConfigSchema schema;
  // The merged layers before interpolation, so that withOverrides re-resolves ${...} references.
  private final RawConfig raw;
  private final Map<String, Object> values;
  private final Map<String, String> origins;
  private final Set<String> derivedSecrets;

  Config(
      ConfigSchema schema,
      RawConfig raw,
      Map<String, Object> values,
      Map<String, String> origins,
      Set<String> derivedSecrets) {
    this.schema = schema;
    this.raw = raw;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    this.derivedSecrets = Set.copyOf(derivedSecrets);
  }

  public ConfigSchema schema() {
    return schema;
  }

  public String getString(String key) {
    return (String) get(key, ValueType.STRING);
  }

  public Integer getInt(String key) {
    return (Integer) get(key, ValueType.INT);
  }

  public Long getLong(String key) {
    return (Long) get(key, ValueType.LONG);
  }

  public Double getDouble(String key) {
    return (Double) get(key, ValueType.DOUBLE);
  }

  public Boolean getBoolean(String key) {
    return (Boolean) get(key, ValueType.BOOLEAN);
  }

  @SuppressWarnings("unchecked")
  public List<String> getStringList(String key) {
    return (List<String>) get(key, ValueType.STRING_LIST);
  }

  @SuppressWarnings("unchecked")
  public List<Integer> getIntList(String key) {
    return (List<Integer>) get(key, ValueType.INT_LIST);
  }

  @SuppressWarnings("unchecked")
  public List<Double> getDoubleList(String key) {
    return (List<Double>) get(key, ValueType.DOUBLE_LIST);
  }

  /**
   * The value of a MAP key (nested; scalars are String, Long, Double, Boolean or null) or of an
   * open map (keyed by the free keys, which may contain dots; never null).
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> getMap(String key) {
    return (Map<String, Object>) get(key, ValueType.MAP);
  }

  /**
   * Whether {@code key} names a value: a declared key, a key set below an open map, or a path
   * inside the value of a MAP key.
   */
  public boolean has(String key) {
    KeyPlacement placement = schema.place(key);
    return switch (placement.kind()) {
      case DECLARED, OPEN_ROOT -> true;
      case OPEN_ENTRY, MAP_ENTRY -> lookup(placement, key) != Missing.VALUE;
      case SECTION, UNKNOWN -> false;
    };
  }

  /** Whether the value of {@code key} (see {@link #has}) is null. */
  public boolean isNull(String key) {
    KeyPlacement placement = schema.place(key);
    Object value =
        switch (placement.kind()) {
          case DECLARED, OPEN_ROOT -> values.get(key);
          case OPEN_ENTRY, MAP_ENTRY -> lookup(placement, key);
          case SECTION, UNKNOWN -> Missing.VALUE;
        };
    if (value == Missing.VALUE) {
      throw notFound(key);
    }
    return value == null;
  }

  /** The declared keys, in schema order (open maps by their own key). */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
  }

  /**
   * Where the value of {@code key} came from: "conf/x.yaml, line 4", "command-line override 'a=1'",
   * "schema default". For an open map, ask about a key below it.
   */
  public String origin(String key) {
    KeyPlacement placement = schema.place(key);
    return switch (placement.kind()) {
      case DECLARED -> origins.get(key);
      case OPEN_ROOT -> RawConfig.SCHEMA_DEFAULT;
      case OPEN_ENTRY, MAP_ENTRY -> {
        if (lookup(placement, key) == Missing.VALUE) {
          throw notFound(key);
        }
        yield origins.get(
            placement.kind() == KeyPlacement.Kind.OPEN_ENTRY ? key : placement.key().name());
      }
      case SECTION, UNKNOWN -> throw notFound(key);
    };
  }

  /**
   * The resolved config as YAML, which loads back with the same schema to an equal config. The
   * values of credential keys (and of keys that copy them by interpolation) print as {@code *****}.
   */
  public String toYaml() {
    return YamlEmitter.document(tree(true));
  }

  /** As {@link #toYaml()} but with credentials in clear: for tests and trusted internal use. */
  String toYamlUnmasked() {
    return YamlEmitter.document(tree(false));
  }

  /** A copy with more overrides applied on top; interpolations are resolved again. */
  public Config withOverrides(List<String> overrides) {
    RawConfig layered = raw.copy();
    Overrides.apply(schema, layered, overrides);
    return ConfigLoader.resolve(schema, layered, System::getenv);
  }

  private Object get(String key, ValueType type) {
    ConfigKey declared =
        schema
            .key(key)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Cannot get config key '" + key + "': it is not declared in the schema"));
    if (declared.type() != type) {
      throw new IllegalArgumentException(
          "Cannot get config key '"
              + key
              + "' as "
              + type
              + ": it is declared as "
              + declared.type());
    }
    return values.get(key);
  }

  /** Marks a path that has no value, as opposed to a null value. */
  private enum Missing {
    VALUE
  }

  private Object lookup(KeyPlacement placement, String key) {
    Object current = values.get(placement.key().name());
    String subKey = placement.subKey(key);
    if (placement.kind() == KeyPlacement.Kind.OPEN_ENTRY) {
      Map<?, ?> map = (Map<?, ?>) current;
      return map.containsKey(subKey) ? map.get(subKey) : Missing.VALUE;
    }
    for (String segment : subKey.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(segment)) {
        return Missing.VALUE;
      }
      current = map.get(segment);
    }
    return current;
  }

  private static IllegalArgumentException notFound(String key) {
    return new IllegalArgumentException("Cannot find config key '" + key + "': it has no value");
  }

  private Map<String, Object> tree(boolean mask) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (ConfigKey key : schema.keys()) {
      Object value = values.get(key.name());
      if (mask) {
        value = masked(key.name(), value, key.openMap() || maskable(key.type()), false);
      }
      put(root, key.name().split("\\."), value);
    }
    return root;
  }

  /**
   * Numbers and booleans of declared keys are never credentials; masking them would break reload.
   */
  private static boolean maskable(ValueType type) {
    return type == ValueType.STRING || type == ValueType.STRING_LIST || type == ValueType.MAP;
  }

  /**
   * Replaces secret leaves with the mask but keeps lists and maps as they are, so that a masked
   * config still loads with its schema. Everything below a secret key is secret.
   */
  private Object masked(String key, Object value, boolean maskable, boolean belowSecret) {
    boolean secret = belowSecret || SecretKeys.isSecret(key) || derivedSecrets.contains(key);
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, masked(key + "." + k, v, true, secret)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(item -> masked(key, item, maskable, secret)).toList();
    }
    return maskable && secret && value != null && !(value instanceof Boolean)
        ? SecretKeys.MASK
        : value;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String[] path, Object value) {
    Map<String, Object> current = root;
    for (int i = 0; i < path.length - 1; i++) {
      current = (Map<String, Object>) current.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
    }
    current.put(path[path.length - 1], value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Config other && schema.equals(other.schema) && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, values);
  }

  /** The masked YAML. */
  @Override
  public String toString() {
    return toYaml();
  }
}
