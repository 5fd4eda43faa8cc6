package io.nautilus.config;

/**
 * A mistake in a user's configuration: the CLI prints the one-line message and exits with code 2.
 * Programming errors (asking for an undeclared key, a malformed schema) are {@link
 * IllegalArgumentException}s instead.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
