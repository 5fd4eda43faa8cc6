package io.nautilus.audio;

import io.nautilus.audio.AudioFormatException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Detects the container from the first bytes of a file, never from its name: manifests point at
 * text files called {@code .wav} often enough. Formats this package cannot read are named when
 * their signature is known, so a reject says "Ogg Vorbis" rather than "not audio".
 */
final class ContainerSniffer {

  private static final int HEAD = ByteInput.PUSHBACK;
  private static final int ID3_HEADER = 10;
  private static final int MAX_ID3_TAGS = 4;
  private static final String SUPPORTED = " is not supported; only WAV and FLAC are";

  private ContainerSniffer() {}

  /**
   * Reads the signature, skipping ID3v2 tags (taggers put them in front of FLAC files), and leaves
   * {@code in} at the start of the container.
   */
  static Container detect(ByteInput in, String source) throws IOException, AudioFormatException {
    byte[] head = new byte[HEAD];
    int n = in.read(head, 0, HEAD);
    if (n == 0) {
      throw new AudioFormatException(Reason.EMPTY_FILE, source, "the file is empty (0 bytes)");
    }
    int tags = 0;
    while (startsWith(head, n, 0, "ID3") && tags < MAX_ID3_TAGS) {
      long tagStart = in.position() - n;
      if (n < ID3_HEADER) {
        throw new AudioFormatException(
            Reason.TRUNCATED,
            source,
            "the file ends inside its ID3v2 tag header (" + n + " bytes)");
      }
      long tagSize = ID3_HEADER + syncSafe(head, 6) + ((head[5] & 0x10) != 0 ? ID3_HEADER : 0);
      if (tagSize <= n) {
        in.unread(head, (int) tagSize, n - (int) tagSize);
      } else if (in.skip(tagSize - n) < tagSize - n) {
        throw new AudioFormatException(
            Reason.TRUNCATED,
            source,
            "the file ends inside its " + tagSize + "-byte ID3v2 tag at byte " + tagStart);
      }
      n = in.read(head, 0, HEAD);
      if (n == 0) {
        throw new AudioFormatException(
            Reason.TRUNCATED, source, "the file holds an ID3v2 tag and no audio after it");
      }
      tags++;
    }
    Container container = classify(head, n, tags > 0, source);
    in.unread(head, 0, n);
    return container;
  }

  private static Container classify(byte[] h, int n, boolean afterId3, String source)
      throws AudioFormatException {
    if (startsWith(h, n, 0, "RIFF") || startsWith(h, n, 0, "RF64") || startsWith(h, n, 0, "BW64")) {
      if (n < 12) {
        throw new AudioFormatException(
            Reason.TRUNCATED,
            source,
            "the file ends inside its 12-byte RIFF header (" + n + " bytes)");
      }
      if (startsWith(h, n, 8, "WAVE")) {
        return Container.WAV;
      }
      throw new AudioFormatException(
          Reason.NOT_AUDIO, source, "a RIFF file of type " + quote(h, 8, 4) + ", not WAVE audio");
    }
    if (startsWith(h, n, 0, "fLaC")) {
      return Container.FLAC;
    }
    String unsupported = unsupportedFormat(h, n);
    if (unsupported != null) {
      throw new AudioFormatException(Reason.UNSUPPORTED_FORMAT, source, unsupported + SUPPORTED);
    }
    if (n < 4 && (isPrefixOf(h, n, "RIFF") || isPrefixOf(h, n, "fLaC"))) {
      throw new AudioFormatException(
          Reason.TRUNCATED, source, "the file has only " + n + " bytes, too few for a header");
    }
    if (afterId3) {
      throw new AudioFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          "audio behind an ID3v2 tag that is neither WAV nor FLAC (probably MP3)" + SUPPORTED);
    }
    throw new AudioFormatException(
        Reason.NOT_AUDIO,
        source,
        "no WAV or FLAC signature; the file starts with " + describe(h, n));
  }

  /** The name of a recognised audio format this package does not read, or null. */
  private static String unsupportedFormat(byte[] h, int n) {
    if (startsWith(h, n, 0, "OggS")) {
      return oggKind(h, n);
    }
    if (startsWith(h, n, 0, "RIFX")) {
      return "big-endian WAV (RIFX)";
    }
    if (startsWith(h, n, 0, "FORM") && startsWith(h, n, 8, "AIFF")) {
      return "AIFF";
    }
    if (startsWith(h, n, 0, "FORM") && startsWith(h, n, 8, "AIFC")) {
      return "AIFF-C";
    }
    if (startsWith(h, n, 4, "ftyp")) {
      return "MP4/M4A (ISO media)";
    }
    if (n >= 4
        && (h[0] & 0xFF) == 0x1A
        && (h[1] & 0xFF) == 0x45
        && (h[2] & 0xFF) == 0xDF
        && (h[3] & 0xFF) == 0xA3) {
      return "Matroska/WebM";
    }
    if (startsWith(h, n, 0, "#!AMR")) {
      return "AMR";
    }
    if (startsWith(h, n, 0, ".snd")) {
      return "Sun/NeXT AU";
    }
    if (startsWith(h, n, 0, "wvpk")) {
      return "WavPack";
    }
    if (startsWith(h, n, 0, "MAC ")) {
      return "Monkey's Audio (APE)";
    }
    if (startsWith(h, n, 0, "caff")) {
      return "Core Audio Format (CAF)";
    }
    return mpegKind(h, n);
  }

  private static String oggKind(byte[] h, int n) {
    // The first page carries one segment table, then the codec's identification packet.
    int packet = n > 26 ? 27 + (h[26] & 0xFF) : n;
    if (startsWith(h, n, packet, "\u0001vorbis")) {
      return "Ogg Vorbis";
    }
    if (startsWith(h, n, packet, "OpusHead")) {
      return "Ogg Opus";
    }
    if (startsWith(h, n, packet, "\u007fFLAC")) {
      return "Ogg FLAC";
    }
    if (startsWith(h, n, packet, "Speex   ")) {
      return "Ogg Speex";
    }
    return "Ogg";
  }

  /** MPEG audio frames and ADTS AAC start with an 11- or 12-bit sync of ones. */
  private static String mpegKind(byte[] h, int n) {
    if (n < 3 || (h[0] & 0xFF) != 0xFF || (h[1] & 0xE0) != 0xE0) {
      return null;
    }
    int version = (h[1] >> 3) & 3;
    int layer = (h[1] >> 1) & 3;
    if (layer == 0) {
      return (h[1] & 0xF6) == 0xF0 ? "AAC (ADTS)" : null;
    }
    int bitrate = (h[2] >> 4) & 0xF;
    int rate = (h[2] >> 2) & 3;
    if (version == 1 || bitrate == 0xF || rate == 3) {
      return null;
    }
    return switch (layer) {
      case 1 -> "MP3 (MPEG audio layer III)";
      case 2 -> "MP2 (MPEG audio layer II)";
      default -> "MPEG audio layer I";
    };
  }

  private static long syncSafe(byte[] b, int p) {
    return ((b[p] & 0x7FL) << 21)
        | ((b[p + 1] & 0x7FL) << 14)
        | ((b[p + 2] & 0x7FL) << 7)
        | (b[p + 3] & 0x7FL);
  }

  private static boolean startsWith(byte[] h, int n, int at, String magic) {
    if (at + magic.length() > n) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if ((h[at + i] & 0xFF) != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrefixOf(byte[] h, int n, String magic) {
    for (int i = 0; i < n; i++) {
      if ((h[i] & 0xFF) != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The first bytes as quoted text when they are printable, else as hex. */
  private static String describe(byte[] h, int n) {
    int shown = Math.min(n, 16);
    boolean text = true;
    for (int i = 0; i < shown && text; i++) {
      int b = h[i] & 0xFF;
      text = (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r';
    }
    if (text) {
      return "text " + quote(h, 0, shown);
    }
    StringBuilder hex = new StringBuilder("bytes");
    for (int i = 0; i < Math.min(n, 8); i++) {
      hex.append(String.format(" %02x", h[i] & 0xFF));
    }
    return hex.toString();
  }

  private static String quote(byte[] h, int at, int len) {
    String s = new String(h, at, len, StandardCharsets.ISO_8859_1);
    return '"'
        + s.replace("\\", "\\\\")
            .replace("\"", "\\\"")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        + '"';
  }
}
