package io.nautilus.io;

/** What a reader finds where a set of files should be. */
public enum SetState {
  /** A committed set: read it. */
  COMMITTED,
  /** Nothing there. */
  ABSENT,
  /**
   * Files but no commit marker, on a store that needs one: a run that did not finish (or is still
   * running) wrote them. Readers treat the set as absent.
   */
  UNCOMMITTED
}
