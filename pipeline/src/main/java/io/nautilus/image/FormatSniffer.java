package io.nautilus.image;

import static io.nautilus.image.Bytes.startsWith;

import io.nautilus.image.ImageFormatException.Reason;

/**
 * Detects the format from the first bytes of a file, never from its name: scraped image-text data
 * holds HTML error pages and WebP files called {@code .jpg} often enough. Formats this package
 * cannot read are named when their signature is known, so a reject says "GIF" rather than "not an
 * image".
 */
final class FormatSniffer {

  /** Bytes {@link #detect} wants to see; every signature below fits in them. */
  static final int HEAD = HeaderInput.PUSHBACK;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final String SUPPORTED = " is not supported; only PNG and JPEG are";

  private FormatSniffer() {}

  /**
   * @param h the first bytes of the file
   * @param n how many of them there are (fewer than {@link #HEAD} only for a shorter file)
   */
  static ImageFormat detect(byte[] h, int n, String source) throws ImageFormatException {
    if (n == 0) {
      throw new ImageFormatException(Reason.EMPTY_FILE, source, "the file is empty (0 bytes)");
    }
    if (n >= 3 && u8(h, 0) == 0xFF && u8(h, 1) == 0xD8 && u8(h, 2) == 0xFF) {
      return ImageFormat.JPEG;
    }
    if (matches(h, n, PNG_SIGNATURE, PNG_SIGNATURE.length)) {
      return ImageFormat.PNG;
    }
    if (n >= PNG_SIGNATURE.length && startsWith(h, n, 1, "PNG") && u8(h, 0) == 0x89) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          "the PNG signature is damaged ("
              + Bytes.describe(h, 0, PNG_SIGNATURE.length)
              + "); a transfer in text mode rewrites its line-ending bytes");
    }
    String unsupported = unsupportedFormat(h, n);
    if (unsupported != null) {
      throw new ImageFormatException(Reason.UNSUPPORTED_FORMAT, source, unsupported + SUPPORTED);
    }
    if ((n < PNG_SIGNATURE.length && matches(h, n, PNG_SIGNATURE, n))
        || (n < 3 && u8(h, 0) == 0xFF && (n == 1 || u8(h, 1) == 0xD8))) {
      throw new ImageFormatException(
          Reason.TRUNCATED, source, "the file has only " + n + " bytes, too few for a signature");
    }
    throw new ImageFormatException(
        Reason.NOT_IMAGE,
        source,
        "no PNG or JPEG signature; the file starts with " + Bytes.describe(h, 0, n));
  }

  /** The name of a recognised image format this package does not read, or null. */
  private static String unsupportedFormat(byte[] h, int n) {
    if (startsWith(h, n, 0, "GIF87a") || startsWith(h, n, 0, "GIF89a")) {
      return "GIF";
    }
    if (startsWith(h, n, 0, "RIFF") && startsWith(h, n, 8, "WEBP")) {
      return "WebP";
    }
    // "BM" alone starts plenty of text; the BMP header's reserved bytes 6-9 are zero.
    if (startsWith(h, n, 0, "BM") && n >= 14 && isZero(h, 6, 4)) {
      return "BMP";
    }
    if (startsWith(h, n, 0, "II*\0") || startsWith(h, n, 0, "MM\0*")) {
      return "TIFF";
    }
    if (startsWith(h, n, 0, "II+\0") || startsWith(h, n, 0, "MM\0+")) {
      return "BigTIFF";
    }
    if (startsWith(h, n, 4, "ftyp")) {
      return isoMediaImage(h, n);
    }
    if (startsWith(h, n, 0, "\0\0\0\fjP  \r\n\u0087\n")
        || (n >= 4
            && u8(h, 0) == 0xFF
            && u8(h, 1) == 0x4F
            && u8(h, 2) == 0xFF
            && u8(h, 3) == 0x51)) {
      return "JPEG 2000";
    }
    if (startsWith(h, n, 0, "\0\0\0\fJXL \r\n\u0087\n")
        || (n >= 2 && u8(h, 0) == 0xFF && u8(h, 1) == 0x0A)) {
      return "JPEG XL";
    }
    if (startsWith(h, n, 0, "8BPS")) {
      return "Photoshop PSD";
    }
    if (startsWith(h, n, 0, "qoif")) {
      return "QOI";
    }
    if (n >= 4 && u8(h, 0) == 0x76 && u8(h, 1) == 0x2F && u8(h, 2) == 0x31 && u8(h, 3) == 0x01) {
      return "OpenEXR";
    }
    if (startsWith(h, n, 0, "\0\0\1\0") && n >= 6 && (h[4] != 0 || h[5] != 0)) {
      return "ICO";
    }
    if (startsWith(h, n, 0, "<svg")) {
      return "SVG";
    }
    return null;
  }

  /** HEIF and AVIF live in ISO media files; an MP4 video is not an image at all. */
  private static String isoMediaImage(byte[] h, int n) {
    if (startsWith(h, n, 8, "avif") || startsWith(h, n, 8, "avis")) {
      return "AVIF";
    }
    for (String brand : new String[] {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1"}) {
      if (startsWith(h, n, 8, brand)) {
        return "HEIF/HEIC";
      }
    }
    return null;
  }

  private static boolean matches(byte[] h, int n, byte[] magic, int len) {
    if (n < len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (h[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(byte[] h, int at, int len) {
    for (int i = at; i < at + len; i++) {
      if (h[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] h, int at) {
    return h[at] & 0xFF;
  }
}
