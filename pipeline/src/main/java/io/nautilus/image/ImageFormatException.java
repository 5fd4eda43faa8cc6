package io.nautilus.image;

import java.util.Objects;

/**
 * An image file that cannot be used, with a {@link Reason} that reject records can carry.
 *
 * <p>Only problems of the file itself are reported this way; a failing stream (network, permission)
 * stays an {@link java.io.IOException}, because retrying may fix it.
 */
public final class ImageFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a file was rejected. */
  public enum Reason {
    /** The file has no bytes at all. */
    EMPTY_FILE,
    /** No image signature: text, JSON, audio, random bytes. */
    NOT_IMAGE,
    /** A recognisable image this package cannot read: GIF, WebP, BMP, TIFF, CMYK JPEG, ... */
    UNSUPPORTED_FORMAT,
    /** The file ends before what its structure promises: cut in a header, chunk or scan. */
    TRUNCATED,
    /** The structure or the pixel data contradicts itself: bad CRC, bad marker, zlib error, ... */
    CORRUPT,
    /** The declared size (or the size a resize would produce) is over the {@link ImageLimits}. */
    TOO_LARGE
  }

  private final Reason reason;
  private final String source;

  /**
   * @param reason why the file is rejected
   * @param source the file's name for messages
   * @param detail what is wrong, with the values involved
   */
  public ImageFormatException(Reason reason, String source, String detail) {
    this(reason, source, detail, null);
  }

  public ImageFormatException(Reason reason, String source, String detail, Throwable cause) {
    super("Cannot read image " + source + ": " + detail, cause);
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
