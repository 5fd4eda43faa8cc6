package io.nautilus.audio;

import static io.nautilus.audio.LittleEndian.u16;
import static io.nautilus.audio.LittleEndian.u32;

import io.nautilus.audio.AudioFormatException.Reason;
import java.util.Map;

/**
 * The {@code fmt } chunk of a WAV file, reduced to what decoding needs.
 *
 * @param encoding sample encoding, from the format tag (or EXTENSIBLE subformat) and width
 * @param sampleRate frames per second
 * @param channels samples per frame
 * @param bitsPerSample significant bits (the EXTENSIBLE valid bits when given)
 * @param blockAlign bytes per frame
 */
record WavFormat(
    Encoding encoding, int sampleRate, int channels, int bitsPerSample, int blockAlign) {

  static final int MIN_SIZE = 16;
  private static final String UNSUPPORTED_SUFFIX = " is not supported; only PCM and IEEE float are";
  private static final int EXTENSIBLE_SIZE = 40;
  private static final int TAG_PCM = 1;
  private static final int TAG_FLOAT = 3;
  private static final int TAG_EXTENSIBLE = 0xFFFE;

  /** Bytes 4..15 of every KSDATAFORMAT_SUBTYPE GUID derived from a WAV format tag. */
  private static final byte[] SUBTYPE_TAIL = {
    0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };

  private static final Map<Integer, String> CODEC_NAMES =
      Map.ofEntries(
          Map.entry(0x0000, "unknown"),
          Map.entry(0x0002, "Microsoft ADPCM"),
          Map.entry(0x0006, "A-law"),
          Map.entry(0x0007, "mu-law"),
          Map.entry(0x0011, "IMA ADPCM"),
          Map.entry(0x0031, "GSM 6.10"),
          Map.entry(0x0050, "MPEG"),
          Map.entry(0x0055, "MP3"),
          Map.entry(0x0161, "WMA"),
          Map.entry(0x2000, "AC-3"),
          Map.entry(0xF1AC, "FLAC"));

  AudioInfo info(long frames) {
    return new AudioInfo(Container.WAV, encoding, sampleRate, channels, bitsPerSample, frames);
  }

  /** Parses {@code len} bytes of a fmt chunk body. */
  static WavFormat parse(byte[] b, int len, String source) throws AudioFormatException {
    if (len < MIN_SIZE) {
      throw corrupt(source, "the fmt chunk has " + len + " bytes, at least 16 are needed");
    }
    int tag = u16(b, 0);
    int channels = u16(b, 2);
    long sampleRate = u32(b, 4);
    int blockAlign = u16(b, 12);
    int bits = u16(b, 14);
    int significantBits = bits;
    int codec = tag;
    String codecKind = "WAV format tag ";
    if (tag == TAG_EXTENSIBLE) {
      if (len < EXTENSIBLE_SIZE) {
        throw corrupt(
            source, "the WAVE_FORMAT_EXTENSIBLE fmt chunk has " + len + " bytes, 40 are needed");
      }
      int validBits = u16(b, 18);
      if (validBits > bits) {
        throw corrupt(
            source,
            "the fmt chunk declares " + validBits + " valid bits in " + bits + "-bit samples");
      }
      significantBits = validBits == 0 ? bits : validBits;
      long subtype = u32(b, 24);
      if (!hasStandardSubtypeTail(b) || subtype > 0xFFFF) {
        throw new AudioFormatException(
            Reason.UNSUPPORTED_FORMAT,
            source,
            "WAVE_FORMAT_EXTENSIBLE subformat " + guid(b, 24) + UNSUPPORTED_SUFFIX);
      }
      codec = (int) subtype;
      codecKind = "WAVE_FORMAT_EXTENSIBLE subformat ";
    }
    if (channels == 0) {
      throw corrupt(source, "the fmt chunk declares 0 channels");
    }
    if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
      throw corrupt(source, "the fmt chunk declares sample rate " + sampleRate);
    }
    if (bits == 0) {
      throw corrupt(source, "the fmt chunk declares 0 bits per sample");
    }
    Encoding encoding = encoding(codec, codecKind, bits, source);
    int expectedAlign = channels * encoding.bytesPerSample();
    if (blockAlign != expectedAlign) {
      throw corrupt(
          source,
          String.format(
              "block align %d does not match %d channels of %d bytes (expected %d)",
              blockAlign, channels, encoding.bytesPerSample(), expectedAlign));
    }
    return new WavFormat(encoding, (int) sampleRate, channels, significantBits, blockAlign);
  }

  private static Encoding encoding(int codec, String codecKind, int bits, String source)
      throws AudioFormatException {
    if (codec == TAG_PCM) {
      // Widths that are not whole bytes (12, 20) are stored left-justified in the next byte width.
      return switch ((bits + 7) / 8) {
        case 1 -> Encoding.PCM_U8;
        case 2 -> Encoding.PCM_S16;
        case 3 -> Encoding.PCM_S24;
        case 4 -> Encoding.PCM_S32;
        default ->
            throw new AudioFormatException(
                Reason.UNSUPPORTED_FORMAT,
                source,
                "PCM with " + bits + " bits per sample is not supported; 8, 16, 24 and 32 are");
      };
    }
    if (codec == TAG_FLOAT) {
      return switch (bits) {
        case 32 -> Encoding.FLOAT32;
        case 64 -> Encoding.FLOAT64;
        default ->
            throw new AudioFormatException(
                Reason.UNSUPPORTED_FORMAT,
                source,
                "IEEE float with " + bits + " bits per sample is not supported; 32 and 64 are");
      };
    }
    String name = CODEC_NAMES.get(codec);
    throw new AudioFormatException(
        Reason.UNSUPPORTED_FORMAT,
        source,
        String.format(
            "%s%d%s is not supported; only PCM (1) and IEEE float (3) are",
            codecKind, codec, name == null ? "" : " (" + name + ")"));
  }

  private static boolean hasStandardSubtypeTail(byte[] b) {
    for (int i = 0; i < SUBTYPE_TAIL.length; i++) {
      if (b[28 + i] != SUBTYPE_TAIL[i]) {
        return false;
      }
    }
    return true;
  }

  private static String guid(byte[] b, int p) {
    return String.format(
        "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        u32(b, p),
        u16(b, p + 4),
        u16(b, p + 6),
        b[p + 8] & 0xFF,
        b[p + 9] & 0xFF,
        b[p + 10] & 0xFF,
        b[p + 11] & 0xFF,
        b[p + 12] & 0xFF,
        b[p + 13] & 0xFF,
        b[p + 14] & 0xFF,
        b[p + 15] & 0xFF);
  }

  private static AudioFormatException corrupt(String source, String detail) {
    return new AudioFormatException(Reason.CORRUPT, source, detail);
  }
}
