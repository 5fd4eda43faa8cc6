package io.nautilus.run;

/**
 * A mistake in what the user asked for (a missing input, an output that would be overwritten): the
 * CLI prints the one-line message and exits with code 2, before any Spark work where possible.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
