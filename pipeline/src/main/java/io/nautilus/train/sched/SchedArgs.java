package io.nautilus.train.sched;

import io.nautilus.config.ArgMap;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a {@code sched} section for one schedule, with errors that name the schedule and
 * the key; an absent key reads as null, so that callers can tell "not set" from a default.
 */
final class SchedArgs {
  private final String schedule;
  private final ArgMap args;

  SchedArgs(String schedule, Map<String, ?> values) {
    this.schedule = schedule;
    this.args = ArgMap.of("create " + schedule, values);
  }

  String schedule() {
    return schedule;
  }

  boolean has(String key) {
    return args.has(key);
  }

  /** Rejects keys that are neither {@code allowed} nor NeMo bookkeeping, as NeMo's kwargs do. */
  void rejectUnknown(Set<String> allowed, Set<String> ignored) {
    args.rejectUnexpected("key", allowed, ignored);
  }

  /** A whole number, accepting {@code 10.0} as YAML writers sometimes produce it. */
  Long wholeNumber(String key) {
    return args.wholeNumber(key);
  }

  Double decimal(String key) {
    return args.has(key) ? args.decimal(key, 0) : null;
  }

  Boolean bool(String key) {
    return args.has(key) ? args.bool(key, false) : null;
  }
}
