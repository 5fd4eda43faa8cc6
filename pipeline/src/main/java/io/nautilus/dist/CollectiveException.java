package io.nautilus.dist;

/**
 * A collective operation or the ring set-up failed. The process group that threw it is unusable
 * afterwards: every later operation fails at once with the same cause.
 */
public final class CollectiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@link #failedRank()} when no single rank is to blame. */
  public static final int UNKNOWN_RANK = -1;

  private final int failedRank;

  CollectiveException(String message, int failedRank) {
    super(message);
    this.failedRank = failedRank;
  }

  CollectiveException(String message, int failedRank, Throwable cause) {
    super(message, cause);
    this.failedRank = failedRank;
  }

  /**
   * The rank that died, hung, left or misbehaved, as far as this rank could tell; {@link
   * #UNKNOWN_RANK} when the failure was local (for example this thread was interrupted).
   */
  public int failedRank() {
    return failedRank;
  }
}
