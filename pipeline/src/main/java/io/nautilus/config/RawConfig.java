package io.nautilus.config;

import io.nautilus.config.KeyPlacement.Kind;
import io.nautilus.config.RawValue.Mapping;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged layers of a config before interpolation: one entry per declared key (MAP values held
 * whole) and per free key set below an open map, each with where its value came from. Later layers
 * replace values, except that mappings of MAP keys merge key by key, as OmegaConf merges.
 */
final class RawConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String SCHEMA_DEFAULT = "schema default";
  static final String SCHEMA_REQUIRED = "required by the schema";

  /** A value with its origin: "conf/x.yaml, line 4", "command-line override 'a=1'", ... */
  record Entry(RawValue value, String origin) implements Serializable {}

  private final LinkedHashMap<String, Entry> entries;

  private RawConfig(Map<String, Entry> entries) {
    this.entries = new LinkedHashMap<>(entries);
  }

  static RawConfig defaults(ConfigSchema schema) {
    RawConfig raw = new RawConfig(Map.of());
    for (ConfigKey key : schema.keys()) {
      if (key.required()) {
        raw.entries.put(key.name(), new Entry(RawValue.MANDATORY, SCHEMA_REQUIRED));
      } else if (!key.openMap()) {
        raw.entries.put(key.name(), new Entry(RawValue.of(key.defaultValue()), SCHEMA_DEFAULT));
      }
    }
    return raw;
  }

  RawConfig copy() {
    return new RawConfig(entries);
  }

  Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /** Sets a DECLARED, OPEN_ENTRY or MAP_ENTRY path. */
  void set(String path, KeyPlacement placement, RawValue value, String origin) {
    switch (placement.kind()) {
      case DECLARED -> {
        Entry old = entries.get(path);
        RawValue merged =
            old != null && old.value() instanceof Mapping base && value instanceof Mapping overlay
                ? merge(base, overlay)
                : value;
        entries.put(path, new Entry(merged, origin));
      }
      case OPEN_ENTRY -> entries.put(path, new Entry(value, origin));
      case MAP_ENTRY -> {
        String root = placement.key().name();
        Entry old = entries.get(root);
        Mapping base = old != null && old.value() instanceof Mapping m ? m : new Mapping(Map.of());
        List<String> subPath = Arrays.asList(placement.subKey(path).split("\\."));
        entries.put(root, new Entry(setIn(base, subPath, value), origin));
      }
      default -> throw new IllegalStateException("Cannot set " + placement.kind() + " " + path);
    }
  }

  /** Whether a value is already set at a DECLARED, OPEN_ENTRY or MAP_ENTRY path. */
  boolean isSet(String path, KeyPlacement placement) {
    if (placement.kind() != Kind.MAP_ENTRY) {
      return entries.containsKey(path);
    }
    Entry root = entries.get(placement.key().name());
    RawValue current = root == null ? null : root.value();
    for (String segment : placement.subKey(path).split("\\.")) {
      if (!(current instanceof Mapping mapping)) {
        return false;
      }
      current = mapping.entries().get(segment);
    }
    return current != null;
  }

  private static Mapping merge(Mapping base, Mapping overlay) {
    Map<String, RawValue> merged = new LinkedHashMap<>(base.entries());
    overlay
        .entries()
        .forEach(
            (key, value) ->
                merged.merge(
                    key,
                    value,
                    (old, added) ->
                        old instanceof Mapping a && added instanceof Mapping b
                            ? merge(a, b)
                            : added));
    return new Mapping(merged);
  }

  private static Mapping setIn(Mapping base, List<String> path, RawValue value) {
    Map<String, RawValue> entries = new LinkedHashMap<>(base.entries());
    String head = path.get(0);
    if (path.size() == 1) {
      RawValue old = entries.get(head);
      entries.put(
          head, old instanceof Mapping a && value instanceof Mapping b ? merge(a, b) : value);
    } else {
      Mapping child = entries.get(head) instanceof Mapping m ? m : new Mapping(Map.of());
      entries.put(head, setIn(child, path.subList(1, path.size()), value));
    }
    return new Mapping(entries);
  }
}
