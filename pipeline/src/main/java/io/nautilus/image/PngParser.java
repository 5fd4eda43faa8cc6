package io.nautilus.image;

import static io.nautilus.image.Bytes.u32;

import io.nautilus.image.ImageFormatException.Reason;
import java.io.IOException;
import java.util.zip.CRC32;

/**
 * Reads the PNG container: the IHDR header for probing, and every chunk's length and CRC for
 * validation. Pixel data is left to the decoder.
 *
 * <p>Layout (PNG specification, ISO/IEC 15948): an 8-byte signature, then chunks of a 4-byte
 * big-endian data length, a 4-byte type, the data and a CRC-32 over type and data. IHDR comes first
 * with 13 bytes: width, height, bit depth, colour type, compression, filter and interlace method.
 */
final class PngParser {

  private static final int SIGNATURE = 8;
  private static final int IHDR_DATA = 13;

  /** Signature, IHDR length and type, its data and CRC. */
  static final int HEADER_BYTES = SIGNATURE + 8 + IHDR_DATA + 4;

  private static final long MAX_LENGTH = 0x7FFF_FFFFL;

  private PngParser() {}

  /** Reads the signature and IHDR (33 bytes) and nothing more. */
  static ImageInfo readHeader(HeaderInput in, String source, ImageLimits limits)
      throws IOException, ImageFormatException {
    byte[] h = new byte[HEADER_BYTES];
    int n = in.read(h, 0, HEADER_BYTES);
    if (n < SIGNATURE + 8) {
      throw new ImageFormatException(
          Reason.TRUNCATED,
          source,
          "the file ends inside the PNG header (" + n + " of " + HEADER_BYTES + " bytes)");
    }
    long length = u32(h, SIGNATURE);
    if (length != IHDR_DATA || !Bytes.startsWith(h, n, SIGNATURE + 4, "IHDR")) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          "the first PNG chunk is "
              + Bytes.quote(h, SIGNATURE + 4, 4)
              + " of "
              + length
              + " bytes, not the 13-byte IHDR");
    }
    if (n < HEADER_BYTES) {
      throw new ImageFormatException(
          Reason.TRUNCATED,
          source,
          "the file ends inside the PNG header (" + n + " of " + HEADER_BYTES + " bytes)");
    }
    checkCrc(h, SIGNATURE, IHDR_DATA, source);
    int d = SIGNATURE + 8;
    long width = u32(h, d);
    long height = u32(h, d + 4);
    int bitDepth = h[d + 8] & 0xFF;
    int colourType = h[d + 9] & 0xFF;
    if (width == 0 || height == 0 || width > MAX_LENGTH || height > MAX_LENGTH) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          "the PNG header declares "
              + width
              + "x"
              + height
              + "; both sides must be in 1.."
              + MAX_LENGTH);
    }
    if (!validDepth(colourType, bitDepth)) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          "the PNG header declares colour type "
              + colourType
              + " with bit depth "
              + bitDepth
              + ", a combination PNG does not define");
    }
    int compression = h[d + 10] & 0xFF;
    int filter = h[d + 11] & 0xFF;
    int interlace = h[d + 12] & 0xFF;
    if (compression != 0 || filter != 0 || interlace > 1) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          String.format(
              "the PNG header declares compression %d, filter %d and interlace %d; PNG defines"
                  + " only 0, 0 and 0 or 1",
              compression, filter, interlace));
    }
    limits.check(width, height, source, "the PNG header declares");
    return new ImageInfo(ImageFormat.PNG, (int) width, (int) height);
  }

  /**
   * Walks every chunk of a whole file: lengths within the file, chunk types made of letters, CRCs
   * correct, at least one IDAT, and an IEND. Bytes after IEND are ignored, as every reader does.
   */
  static void checkChunks(byte[] b, String source) throws ImageFormatException {
    int at = SIGNATURE;
    boolean idat = false;
    while (true) {
      if (b.length - at < 8) {
        throw new ImageFormatException(
            Reason.TRUNCATED,
            source,
            "the file ends after " + b.length + " bytes without the PNG end chunk (IEND)");
      }
      long length = u32(b, at);
      String type = Bytes.quote(b, at + 4, 4);
      if (!isChunkType(b, at + 4)) {
        throw new ImageFormatException(
            Reason.CORRUPT,
            source,
            "the PNG chunk at byte " + at + " has type " + type + ", not four ASCII letters");
      }
      if (length > MAX_LENGTH) {
        throw new ImageFormatException(
            Reason.CORRUPT,
            source,
            "the PNG chunk " + type + " at byte " + at + " declares " + length + " bytes");
      }
      if (b.length - at - 12 < length) {
        throw new ImageFormatException(
            Reason.TRUNCATED,
            source,
            String.format(
                "the file ends inside the PNG chunk %s at byte %d (%d data bytes declared, %d"
                    + " present)",
                type, at, length, Math.max(0, b.length - at - 8)));
      }
      checkCrc(b, at, (int) length, source);
      if (Bytes.startsWith(b, b.length, at + 4, "IDAT")) {
        idat = true;
      } else if (Bytes.startsWith(b, b.length, at + 4, "IEND")) {
        if (!idat) {
          throw new ImageFormatException(
              Reason.CORRUPT, source, "the PNG file has no image data (IDAT) chunk");
        }
        return;
      }
      at += 12 + (int) length;
    }
  }

  /** Checks the CRC of the chunk whose length field starts at {@code at}. */
  private static void checkCrc(byte[] b, int at, int length, String source)
      throws ImageFormatException {
    CRC32 crc = new CRC32();
    crc.update(b, at + 4, 4 + length);
    long stored = u32(b, at + 8 + length);
    if (crc.getValue() != stored) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          String.format(
              "the PNG chunk %s at byte %d fails its CRC (stored %08x, computed %08x)",
              Bytes.quote(b, at + 4, 4), at, stored, crc.getValue()));
    }
  }

  private static boolean isChunkType(byte[] b, int at) {
    for (int i = at; i < at + 4; i++) {
      int c = b[i] & 0xFF;
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean validDepth(int colourType, int bitDepth) {
    return switch (colourType) {
      case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
      case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
      case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
      default -> false;
    };
  }
}
