package io.nautilus.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code format} and {@code version} fields at the top of every JSON state file Nautilus writes
 * (commit markers, run fingerprints, prepare and shard state). A reader takes only its own format
 * and exactly the version it knows: a build that meets a file from a newer one must stop rather
 * than misread it.
 */
public final class JsonHeader {
  private JsonHeader() {}

  /** Writes the two fields into {@code root}. */
  public static void put(ObjectNode root, String format, int version) {
    root.put("format", format);
    root.put("version", version);
  }

  /**
   * Checks the two fields of {@code root} (null is accepted, and fails).
   *
   * @param errorPrefix put before each message, e.g. {@code "Cannot read commit marker: "}; empty
   *     where the caller adds its own context
   * @throws IllegalArgumentException "format is not '&lt;format&gt;'" or "unsupported version N
   *     (this build reads version V); use a newer Nautilus"
   */
  public static void check(JsonNode root, String format, int version, String errorPrefix) {
    if (root == null || !format.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(errorPrefix + "format is not '" + format + "'");
    }
    if (root.path("version").asInt(-1) != version) {
      throw new IllegalArgumentException(
          errorPrefix
              + "unsupported version "
              + root.path("version")
              + " (this build reads version "
              + version
              + "); use a newer Nautilus");
    }
  }
}
