package io.nautilus.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes pixels with javax.imageio's own writers and no metadata: no timestamps or other
 * run-dependent bytes, so the same pixels give the same file on the same JDK.
 *
 * <p>PNG is lossless at the source's bit depth. JPEG is baseline JFIF (YCbCr, the writer's default
 * 4:2:0 chroma subsampling, the standard tables scaled to the quality); EXIF and ICC segments of
 * the source are not carried over.
 */
final class ImageEncoder {

  private ImageEncoder() {}

  /**
   * @param jpegQuality 1..100, used for JPEG only
   */
  static byte[] encode(BufferedImage image, ImageFormat format, int jpegQuality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName());
    if (!writers.hasNext()) {
      throw new IllegalStateException(
          "Cannot encode " + format + ": javax.imageio has no writer for it on this JVM");
    }
    ImageWriter writer = writers.next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (format == ImageFormat.JPEG) {
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(jpegQuality / 100f);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode " + format + " in memory", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
