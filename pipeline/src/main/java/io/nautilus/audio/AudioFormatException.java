package io.nautilus.audio;

import java.util.Objects;

/**
 * An audio file that cannot be used, with a {@link Reason} that reject records can carry.
 *
 * <p>Only problems of the file itself are reported this way; a failing stream (network, permission)
 * stays an {@link java.io.IOException}, because retrying may fix it.
 */
public final class AudioFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a file was rejected. */
  public enum Reason {
    /** The file has no bytes at all. */
    EMPTY_FILE,
    /** No audio signature: text, JSON, an image, random bytes. */
    NOT_AUDIO,
    /** Recognisable audio this package cannot read: MP3, Ogg, mu-law WAV, ADPCM WAV, ... */
    UNSUPPORTED_FORMAT,
    /** The file ends before what its headers promise: cut in a header, chunk or frame. */
    TRUNCATED,
    /** The structure or content contradicts itself: bad chunks, CRC errors, 0 channels, ... */
    CORRUPT,
    /** A valid header that describes no audio frames. */
    ZERO_LENGTH
  }

  private final Reason reason;
  private final String source;

  /**
   * @param reason why the file is rejected
   * @param source the file's name for messages
   * @param detail what is wrong, with the values involved
   */
  public AudioFormatException(Reason reason, String source, String detail) {
    this(reason, source, detail, null);
  }

  public AudioFormatException(Reason reason, String source, String detail, Throwable cause) {
    super("Cannot read audio " + source + ": " + detail, cause);
    this.reason = Objects.requireNonNull(reason, "reason is null");
    this.source = source;
  }

  public Reason reason() {
    return reason;
  }

  /** The name of the file as given for messages. */
  public String source() {
    return source;
  }
}
