package io.nautilus.audio;

/**
 * How much of a file a read looks at.
 *
 * @param headerOnly stop after the headers (and what they leave unknown, like placeholder sizes)
 * @param slice the frames to decode into floats; null to decode none
 */
record ReadPlan(boolean headerOnly, Slice slice) {

  static ReadPlan header() {
    return new ReadPlan(true, null);
  }

  static ReadPlan validate() {
    return new ReadPlan(false, null);
  }

  static ReadPlan decode(Slice slice) {
    return new ReadPlan(false, slice);
  }

  boolean decodes() {
    return slice != null;
  }

  /** Whether every frame is read, so whole-file checks (counts, checksums) apply. */
  boolean wholeStream() {
    return !headerOnly && (slice == null || slice.isAll());
  }
}
