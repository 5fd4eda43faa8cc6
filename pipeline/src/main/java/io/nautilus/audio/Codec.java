package io.nautilus.audio;

import java.util.Locale;

/** The formats {@link AudioTranscoder} writes. */
public enum Codec {
  /** RIFF WAVE with integer PCM samples. */
  WAV("wav"),
  /** Native FLAC, lossless. */
  FLAC("flac");

  private final String extension;

  Codec(String extension) {
    this.extension = extension;
  }

  /** The file extension, without the dot: {@code wav}, {@code flac}. */
  public String extension() {
    return extension;
  }

  /**
   * The codec named {@code name}, ignoring case.
   *
   * @throws IllegalArgumentException if no codec has that name
   */
  public static Codec fromName(String name) {
    for (Codec codec : values()) {
      if (codec.extension.equalsIgnoreCase(name)) {
        return codec;
      }
    }
    throw new IllegalArgumentException(
        "Cannot parse codec: '" + name + "' is not one of " + String.join(", ", names()));
  }

  private static String[] names() {
    Codec[] codecs = values();
    String[] names = new String[codecs.length];
    for (int i = 0; i < codecs.length; i++) {
      names[i] = codecs[i].name().toLowerCase(Locale.ROOT);
    }
    return names;
  }
}
