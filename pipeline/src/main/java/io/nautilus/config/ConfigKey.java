package io.nautilus.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One key of a {@link ConfigSchema}.
 *
 * @param name the full dotted key, e.g. {@code trainer.max_steps}
 * @param type the value type; {@link ValueType#MAP} for an open map
 * @param required whether the user must supply a value (the default is then {@code ???})
 * @param defaultValue the typed default, null for required keys and nullable optional keys
 * @param doc what the key means, for {@code --help}
 * @param openMap whether free keys with scalar values may be added below this key
 */
public record ConfigKey(
    String name, ValueType type, boolean required, Object defaultValue, String doc, boolean openMap)
    implements Serializable {

  public ConfigKey {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(doc, "doc is null");
  }

  /** Optional keys declared with a null default accept {@code null}. */
  public boolean nullable() {
    return !required && !openMap && defaultValue == null;
  }
}
