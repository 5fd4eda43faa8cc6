package io.nautilus.asr.model;

import io.nautilus.config.ArgMap;
import java.util.Map;

/** Reads of the model config's sections, every error starting "Cannot read model config: ". */
final class ModelArgs {
  static final String ACTION = "read model config";
  static final String PREFIX = "Cannot " + ACTION + ": ";

  private ModelArgs() {}

  /**
   * The section at dotted {@code path} ({@code encoder}, {@code encoder.jasper[0]}), which every
   * message names; empty for the top level.
   */
  static ArgMap of(String path, Map<String, ?> values) {
    return ArgMap.of(ACTION, path, values);
  }
}
