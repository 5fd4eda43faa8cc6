package io.nautilus.run;

/**
 * A run that started and could not succeed (too many rejects, a broken invariant): the CLI prints
 * the message and exits with code 1. Outputs written before the failure say so in their stats.
 */
public class JobFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobFailedException(String message) {
    super(message);
  }

  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
