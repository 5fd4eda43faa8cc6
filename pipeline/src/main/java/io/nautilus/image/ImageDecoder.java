package io.nautilus.image;

import io.nautilus.image.ImageFormatException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes a whole file to pixels with javax.imageio, after its header has passed the limits and its
 * container structure has been walked.
 *
 * <p>The structure walk comes first because ImageIO's JPEG decoder does not fail on a file cut
 * short: it warns and fills the missing rows with grey. For the same reason every decoder warning
 * counts as corruption.
 */
final class ImageDecoder {

  private ImageDecoder() {}

  /**
   * @param info what the header said, from {@link ImageProbe#probe}; the limits are already checked
   */
  static BufferedImage decode(byte[] bytes, ImageInfo info, String source)
      throws ImageFormatException {
    switch (info.format()) {
      case PNG -> PngParser.checkChunks(bytes, source);
      case JPEG -> JpegParser.checkSegments(bytes, source);
    }
    ImageReader reader = readerFor(info.format());
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
    BufferedImage image;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      image = reader.read(0);
    } catch (IOException e) {
      throw new ImageFormatException(
          Reason.CORRUPT, source, "the pixel data does not decode: " + describe(e), e);
    } catch (RuntimeException e) {
      // ImageIO's decoders throw unchecked exceptions on some malformed data; on untrusted input
      // that is a property of the file, not a bug of ours.
      throw new ImageFormatException(
          Reason.CORRUPT, source, "the pixel data does not decode: " + describe(e), e);
    } finally {
      reader.dispose();
    }
    if (!warnings.isEmpty()) {
      throw new ImageFormatException(
          Reason.CORRUPT, source, "the decoder reports damaged data: " + warnings.get(0));
    }
    if (image.getWidth() != info.width() || image.getHeight() != info.height()) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          "the header declares "
              + info.size()
              + " but the pixels decode to "
              + image.getWidth()
              + "x"
              + image.getHeight());
    }
    return image;
  }

  private static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new IllegalStateException(
          "Cannot decode " + format + ": javax.imageio has no reader for it on this JVM");
    }
    return readers.next();
  }

  /** The exception and its causes' messages, which name what the decoder tripped on. */
  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (out.length() > 0) {
        out.append(": ");
      }
      out.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
      if (t.getCause() == t) {
        break;
      }
    }
    return out.toString();
  }
}
