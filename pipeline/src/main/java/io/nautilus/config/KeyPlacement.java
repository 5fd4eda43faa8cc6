package io.nautilus.config;

/**
 * Where a dotted path falls in a schema.
 *
 * @param kind what the path is
 * @param key the declared key itself (DECLARED, OPEN_ROOT), or the open map or MAP key the path is
 *     below (OPEN_ENTRY, MAP_ENTRY); null otherwise
 */
record KeyPlacement(Kind kind, ConfigKey key) {

  enum Kind {
    /** A declared key with a typed value (including MAP keys). */
    DECLARED,
    /** A key declared with {@code openMap}. */
    OPEN_ROOT,
    /** A strict prefix of declared keys, e.g. {@code trainer} for {@code trainer.max_steps}. */
    SECTION,
    /** A free key below an open map. */
    OPEN_ENTRY,
    /** A path inside the value of a MAP key. */
    MAP_ENTRY,
    UNKNOWN
  }

  /** Whether a user may add this key with {@code +key=value} when it is not set yet. */
  boolean isFree() {
    return kind == Kind.OPEN_ENTRY || kind == Kind.MAP_ENTRY;
  }

  /** The part of {@code path} below the open map or MAP key, for OPEN_ENTRY and MAP_ENTRY. */
  String subKey(String path) {
    return path.substring(key.name().length() + 1);
  }
}
