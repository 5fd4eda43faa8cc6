package io.nautilus.image;

import static io.nautilus.image.Bytes.u16;

import io.nautilus.image.ImageFormatException.Reason;
import java.io.IOException;

/**
 * Reads the JPEG marker structure (ITU-T T.81, Annex B): the frame header (SOFn) for probing, and
 * every segment up to the end-of-image marker for validation. Pixel data is left to the decoder.
 *
 * <p>A marker is 0xFF (any number of 0xFF fill bytes may precede it) and a code byte. SOI, EOI,
 * RSTn and TEM stand alone; every other marker is followed by a 2-byte big-endian length that
 * counts itself. After a scan header (SOS) comes entropy-coded data, in which 0xFF is always
 * followed by a stuffed 0x00 or a restart marker, so the next other marker ends the scan.
 */
final class JpegParser {

  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;

  private JpegParser() {}

  /** Reads segments up to and including the frame header, skipping the others, and stops. */
  static ImageInfo readHeader(HeaderInput in, String source, ImageLimits limits)
      throws IOException, ImageFormatException {
    in.skip(2);
    while (true) {
      long at = in.position();
      int marker = nextMarker(in, source);
      if (standsAlone(marker)) {
        continue;
      }
      if (marker == SOI || marker == EOI || marker == SOS) {
        throw new ImageFormatException(
            Reason.CORRUPT,
            source,
            "the JPEG has " + name(marker) + " at byte " + at + " before its frame header (SOF)");
      }
      int hi = in.read();
      int lo = in.read();
      if (lo < 0) {
        throw endsInside(marker, at, source);
      }
      int length = (hi << 8) | lo;
      if (length < 2) {
        throw badLength(marker, at, length, source);
      }
      if (isFrameHeader(marker)) {
        byte[] p = new byte[6];
        if (length < 8) {
          throw badLength(marker, at, length, source);
        }
        if (in.read(p, 0, p.length) < p.length) {
          throw endsInside(marker, at, source);
        }
        return frame(marker, p, length, at, source, limits);
      }
      if (in.skip(length - 2L) < length - 2L) {
        throw endsInside(marker, at, source);
      }
    }
  }

  /**
   * Walks a whole file from SOI to EOI: every segment inside the file, every scan ended by a
   * marker. Bytes after EOI are ignored, as every reader does.
   */
  static void checkSegments(byte[] b, String source) throws ImageFormatException {
    int n = b.length;
    int at = 2;
    while (true) {
      if (at >= n) {
        throw new ImageFormatException(
            Reason.TRUNCATED,
            source,
            "the file ends after " + n + " bytes without the JPEG end-of-image marker (EOI)");
      }
      if ((b[at] & 0xFF) != 0xFF) {
        throw new ImageFormatException(
            Reason.CORRUPT,
            source,
            String.format("expected a JPEG marker at byte %d, found 0x%02x", at, b[at] & 0xFF));
      }
      int markerAt = at;
      while (at < n && (b[at] & 0xFF) == 0xFF) {
        at++;
      }
      if (at >= n) {
        continue;
      }
      int marker = b[at++] & 0xFF;
      if (marker == EOI) {
        return;
      }
      if (standsAlone(marker)) {
        continue;
      }
      if (marker == SOI || marker == 0x00) {
        throw new ImageFormatException(
            Reason.CORRUPT,
            source,
            "the JPEG has a stray " + name(marker) + " at byte " + markerAt);
      }
      if (n - at < 2) {
        throw endsInside(marker, markerAt, source);
      }
      int length = u16(b, at);
      if (length < 2) {
        throw badLength(marker, markerAt, length, source);
      }
      if (n - at < length) {
        throw endsInside(marker, markerAt, source);
      }
      at += length;
      if (marker == SOS) {
        int end = endOfScan(b, at);
        if (end < 0) {
          throw new ImageFormatException(
              Reason.TRUNCATED,
              source,
              String.format(
                  "the file ends after %d bytes inside the JPEG scan data that starts at byte %d,"
                      + " before the end-of-image marker (EOI)",
                  n, at));
        }
        at = end;
      }
    }
  }

  /** The offset of the marker that ends the entropy-coded data starting at {@code at}, or -1. */
  private static int endOfScan(byte[] b, int at) {
    int last = b.length - 1;
    while (at < last) {
      if (b[at] != (byte) 0xFF) {
        at++;
        continue;
      }
      int next = b[at + 1] & 0xFF;
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        at += 2;
      } else if (next == 0xFF) {
        at++;
      } else {
        return at;
      }
    }
    return -1;
  }

  private static ImageInfo frame(
      int marker, byte[] p, int length, long at, String source, ImageLimits limits)
      throws ImageFormatException {
    String process =
        switch (marker) {
          case 0xC0, 0xC1, 0xC2 -> null;
          case 0xC3 -> "lossless JPEG";
          case 0xC5, 0xC6, 0xC7 -> "hierarchical JPEG";
          default -> "arithmetic-coded JPEG";
        };
    if (process != null) {
      throw new ImageFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          process
              + " ("
              + name(marker)
              + ") is not supported; only baseline, extended and"
              + " progressive Huffman-coded JPEG are");
    }
    int precision = p[0] & 0xFF;
    int height = u16(p, 1);
    int width = u16(p, 3);
    int components = p[5] & 0xFF;
    if (components == 0 || length != 8 + 3 * components) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          String.format(
              "the JPEG frame header at byte %d declares %d components in %d bytes (expected %d)",
              at, components, length, 8 + 3 * components));
    }
    if (precision != 8) {
      throw new ImageFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          precision + "-bit JPEG is not supported; only 8-bit JPEG is");
    }
    if (components != 1 && components != 3) {
      String kind = components == 4 ? "4-component (CMYK or YCCK)" : components + "-component";
      throw new ImageFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          kind + " JPEG is not supported; only greyscale and 3-component colour JPEG are");
    }
    if (width == 0) {
      throw new ImageFormatException(
          Reason.CORRUPT, source, "the JPEG frame header at byte " + at + " declares a width of 0");
    }
    if (height == 0) {
      throw new ImageFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          "a JPEG that leaves its height to a DNL marker is not supported");
    }
    limits.check(width, height, source, "the JPEG frame header declares");
    return new ImageInfo(ImageFormat.JPEG, width, height);
  }

  /** Reads 0xFF, any fill bytes and the marker code. */
  private static int nextMarker(HeaderInput in, String source)
      throws IOException, ImageFormatException {
    long at = in.position();
    int b = in.read();
    if (b < 0) {
      throw new ImageFormatException(
          Reason.TRUNCATED,
          source,
          "the file ends after " + at + " bytes, before the JPEG frame header (SOF)");
    }
    if (b != 0xFF) {
      throw new ImageFormatException(
          Reason.CORRUPT,
          source,
          String.format("expected a JPEG marker at byte %d, found 0x%02x", at, b));
    }
    while (b == 0xFF) {
      b = in.read();
    }
    if (b < 0) {
      throw new ImageFormatException(
          Reason.TRUNCATED,
          source,
          "the file ends after " + in.position() + " bytes, before the JPEG frame header (SOF)");
    }
    return b;
  }

  private static boolean standsAlone(int marker) {
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
  }

  private static boolean isFrameHeader(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  private static ImageFormatException endsInside(int marker, long at, String source) {
    return new ImageFormatException(
        Reason.TRUNCATED,
        source,
        "the file ends inside the JPEG segment " + name(marker) + " at byte " + at);
  }

  private static ImageFormatException badLength(int marker, long at, int length, String source) {
    return new ImageFormatException(
        Reason.CORRUPT,
        source,
        "the JPEG segment " + name(marker) + " at byte " + at + " declares length " + length);
  }

  /** The marker's T.81 name with its code, e.g. {@code SOF2 (0xFFC2)}. */
  static String name(int marker) {
    String name;
    if (isFrameHeader(marker)) {
      name = "SOF" + (marker - 0xC0);
    } else if (marker >= 0xD0 && marker <= 0xD7) {
      name = "RST" + (marker - 0xD0);
    } else if (marker >= 0xE0 && marker <= 0xEF) {
      name = "APP" + (marker - 0xE0);
    } else {
      name =
          switch (marker) {
            case 0xC4 -> "DHT";
            case 0xCC -> "DAC";
            case SOI -> "SOI";
            case EOI -> "EOI";
            case SOS -> "SOS";
            case 0xDB -> "DQT";
            case 0xDC -> "DNL";
            case 0xDD -> "DRI";
            case 0xFE -> "COM";
            default -> "marker";
          };
    }
    return String.format("%s (0xFF%02X)", name, marker);
  }
}
