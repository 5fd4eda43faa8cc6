package io.nautilus.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntBinaryOperator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Images made in memory for the image tests, and byte surgery on them. */
final class TestImages {

  private TestImages() {}

  /** An RGB image whose pixels differ, so that a lossy or shifted copy shows. */
  static BufferedImage rgb(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = x * 255 / Math.max(1, width - 1);
        int g = y * 255 / Math.max(1, height - 1);
        int b = (x + y) % 2 == 0 ? 60 : 190;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  /** A greyscale image with one value per sample given by {@code value(x, y)}. */
  static BufferedImage grey(int width, int height, IntBinaryOperator value) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, value.applyAsInt(x, y));
      }
    }
    return image;
  }

  /** A 1-pixel black and white checkerboard. */
  static BufferedImage checkerboard(int width, int height) {
    return grey(width, height, (x, y) -> (x + y) % 2 == 0 ? 0 : 255);
  }

  static byte[] png(BufferedImage image) {
    return write(image, "png", null);
  }

  static byte[] jpeg(BufferedImage image) {
    return jpeg(image, 0.9f);
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    return write(image, "jpeg", quality);
  }

  /** An image in any format ImageIO writes: gif, bmp, tiff, ... */
  static byte[] write(BufferedImage image, String format) {
    return write(image, format, null);
  }

  /** A progressive JPEG or an interlaced (Adam7) PNG. */
  static byte[] progressive(BufferedImage image, String format) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    return write(writer, image, param);
  }

  private static byte[] write(BufferedImage image, String format, Float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (quality != null) {
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
    }
    return write(writer, image, param);
  }

  private static byte[] write(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static BufferedImage read(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new IllegalStateException("ImageIO cannot read these " + bytes.length + " bytes");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The offset of the length field of the first PNG chunk of this type. */
  static int chunk(byte[] png, String type) {
    for (int at = 8; at + 8 <= png.length; ) {
      int length =
          ((png[at] & 0xFF) << 24)
              | ((png[at + 1] & 0xFF) << 16)
              | ((png[at + 2] & 0xFF) << 8)
              | (png[at + 3] & 0xFF);
      if (new String(png, at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
        return at;
      }
      at += 12 + length;
    }
    throw new IllegalArgumentException("No PNG chunk " + type);
  }

  /** Recomputes the CRC of the PNG chunk whose length field is at {@code at}, in place. */
  static void fixCrc(byte[] png, int at) {
    int length =
        ((png[at] & 0xFF) << 24)
            | ((png[at + 1] & 0xFF) << 16)
            | ((png[at + 2] & 0xFF) << 8)
            | (png[at + 3] & 0xFF);
    CRC32 crc = new CRC32();
    crc.update(png, at + 4, 4 + length);
    putU32(png, at + 8 + length, crc.getValue());
  }

  /** A PNG of only a signature and an IHDR with a correct CRC: enough for the header probe. */
  static byte[] pngHeader(long width, long height, int bitDepth, int colourType) {
    byte[] b = new byte[33];
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    System.arraycopy(signature, 0, b, 0, 8);
    putU32(b, 8, 13);
    b[12] = 'I';
    b[13] = 'H';
    b[14] = 'D';
    b[15] = 'R';
    putU32(b, 16, width);
    putU32(b, 20, height);
    b[24] = (byte) bitDepth;
    b[25] = (byte) colourType;
    fixCrc(b, 8);
    return b;
  }

  /** SOI, then a frame header with this marker and values, then EOI. */
  static byte[] jpegHeader(int marker, int precision, int width, int height, int components) {
    int length = 8 + 3 * components;
    byte[] b = new byte[2 + 2 + length + 2];
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    b[3] = (byte) marker;
    b[4] = (byte) (length >> 8);
    b[5] = (byte) length;
    b[6] = (byte) precision;
    b[7] = (byte) (height >> 8);
    b[8] = (byte) height;
    b[9] = (byte) (width >> 8);
    b[10] = (byte) width;
    b[11] = (byte) components;
    for (int c = 0; c < components; c++) {
      b[12 + 3 * c] = (byte) (c + 1);
      b[13 + 3 * c] = 0x11;
    }
    b[b.length - 2] = (byte) 0xFF;
    b[b.length - 1] = (byte) 0xD9;
    return b;
  }

  /** The offset of the first occurrence of the marker {@code 0xFF code}. */
  static int marker(byte[] jpeg, int code) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) code) {
        return i;
      }
    }
    throw new IllegalArgumentException(String.format("No JPEG marker 0xFF%02X", code));
  }

  static void putU32(byte[] b, int at, long value) {
    b[at] = (byte) (value >> 24);
    b[at + 1] = (byte) (value >> 16);
    b[at + 2] = (byte) (value >> 8);
    b[at + 3] = (byte) value;
  }

  static byte[] cut(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** data/sample/image_text, found from the working directory (surefire or an IDE). */
  static Path sampleDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data/sample/image_text"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "No data/sample/image_text above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("data/sample/image_text");
  }
}
