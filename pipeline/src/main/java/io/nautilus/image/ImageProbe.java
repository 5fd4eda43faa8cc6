package io.nautilus.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Checks that a file holds a usable PNG or JPEG image and reports its format and size.
 *
 * <p>The format is detected from magic bytes, never from the name. Streams are read but not closed.
 * Every entry point refuses images over the {@link ImageLimits} (by default {@link
 * ImageLimits#DEFAULT}) from their header alone, before any pixel is decoded.
 */
public final class ImageProbe {

  private ImageProbe() {}

  /**
   * Reads only the header: the PNG signature and IHDR chunk (33 bytes), or the JPEG segments up to
   * the frame header (SOFn). A file damaged after its header passes; use {@link #validate} to catch
   * that.
   *
   * @param in the file's bytes; read no further than the header, not closed
   * @param nameForMessages how messages name the file, e.g. its path
   * @throws ImageFormatException if the header shows the file is not a usable image; see its {@link
   *     ImageFormatException.Reason}
   * @throws IOException if the stream fails
   */
  public static ImageInfo probe(InputStream in, String nameForMessages, ImageLimits limits)
      throws IOException, ImageFormatException {
    Objects.requireNonNull(in, "in is null");
    Objects.requireNonNull(limits, "limits is null");
    HeaderInput header = new HeaderInput(in);
    byte[] head = new byte[FormatSniffer.HEAD];
    int n = header.read(head, 0, head.length);
    ImageFormat format = FormatSniffer.detect(head, n, nameForMessages);
    header.unread(head, 0, n);
    return switch (format) {
      case PNG -> PngParser.readHeader(header, nameForMessages, limits);
      case JPEG -> JpegParser.readHeader(header, nameForMessages, limits);
    };
  }

  /** {@link #probe(InputStream, String, ImageLimits)} with the default limits. */
  public static ImageInfo probe(InputStream in, String nameForMessages)
      throws IOException, ImageFormatException {
    return probe(in, nameForMessages, ImageLimits.DEFAULT);
  }

  /** {@link #probe(InputStream, String, ImageLimits)} on a file already in memory. */
  public static ImageInfo probe(byte[] bytes, String nameForMessages, ImageLimits limits)
      throws ImageFormatException {
    Objects.requireNonNull(bytes, "bytes is null");
    try {
      return probe(new ByteArrayInputStream(bytes), nameForMessages, limits);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot happen: a byte array stream failed", e);
    }
  }

  /** {@link #probe(InputStream, String, ImageLimits)} with the default limits. */
  public static ImageInfo probe(byte[] bytes, String nameForMessages) throws ImageFormatException {
    return probe(bytes, nameForMessages, ImageLimits.DEFAULT);
  }

  /**
   * Checks the whole file and decodes its pixels: the header as {@link #probe} does, then every PNG
   * chunk's CRC up to IEND or every JPEG segment up to EOI, then a full decode with javax.imageio
   * in which any decoder warning counts as corruption.
   *
   * @param bytes the whole file
   * @param nameForMessages how messages name the file
   * @throws ImageFormatException if the file is not a usable image
   */
  public static ImageInfo validate(byte[] bytes, String nameForMessages, ImageLimits limits)
      throws ImageFormatException {
    ImageInfo info = probe(bytes, nameForMessages, limits);
    ImageDecoder.decode(bytes, info, nameForMessages);
    return info;
  }

  /** {@link #validate(byte[], String, ImageLimits)} with the default limits. */
  public static ImageInfo validate(byte[] bytes, String nameForMessages)
      throws ImageFormatException {
    return validate(bytes, nameForMessages, ImageLimits.DEFAULT);
  }

  /**
   * {@link #validate(byte[], String, ImageLimits)} on a stream, which is read to its end and not
   * closed.
   */
  public static ImageInfo validate(InputStream in, String nameForMessages, ImageLimits limits)
      throws IOException, ImageFormatException {
    return validate(in.readAllBytes(), nameForMessages, limits);
  }

  /** {@link #validate(InputStream, String, ImageLimits)} with the default limits. */
  public static ImageInfo validate(InputStream in, String nameForMessages)
      throws IOException, ImageFormatException {
    return validate(in, nameForMessages, ImageLimits.DEFAULT);
  }
}
