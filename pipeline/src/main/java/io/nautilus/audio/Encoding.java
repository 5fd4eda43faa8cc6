package io.nautilus.audio;

/** How samples are stored in a container. */
public enum Encoding {
  /** Unsigned 8-bit PCM, silence at 128 (the only unsigned WAV width). */
  PCM_U8(1),
  /** Signed 16-bit little-endian PCM. */
  PCM_S16(2),
  /** Signed 24-bit little-endian PCM, packed in 3 bytes. */
  PCM_S24(3),
  /** Signed 32-bit little-endian PCM. */
  PCM_S32(4),
  /** IEEE 754 single precision. */
  FLOAT32(4),
  /** IEEE 754 double precision. */
  FLOAT64(8),
  /** FLAC compressed integer samples; the width is {@link AudioInfo#bitsPerSample()}. */
  FLAC(0);

  private final int bytesPerSample;

  Encoding(int bytesPerSample) {
    this.bytesPerSample = bytesPerSample;
  }

  /** Bytes one sample of one channel takes in a WAV data chunk; 0 for {@link #FLAC}. */
  int bytesPerSample() {
    return bytesPerSample;
  }

  boolean isFloat() {
    return this == FLOAT32 || this == FLOAT64;
  }
}
