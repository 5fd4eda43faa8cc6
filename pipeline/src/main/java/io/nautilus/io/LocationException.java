package io.nautilus.io;

/**
 * A user-given location that cannot be used as written (for example one carrying credentials). The
 * CLI reports it as a usage error: one line, exit code 2.
 */
public class LocationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public LocationException(String message) {
    super(message);
  }
}
