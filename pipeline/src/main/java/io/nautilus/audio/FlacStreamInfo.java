package io.nautilus.audio;

/**
 * The FLAC STREAMINFO block, parsed here rather than by jflac so a header probe needs no decoder.
 *
 * @param sampleRate frames per second; 0 is invalid
 * @param channels 1 to 8
 * @param bitsPerSample 4 to 32
 * @param totalSamples frames in the stream; 0 when the encoder did not know (streamed output)
 * @param md5 MD5 of the unencoded audio; all zero when not computed
 */
record FlacStreamInfo(
    int sampleRate, int channels, int bitsPerSample, long totalSamples, byte[] md5) {

  static final int SIZE = 34;

  static FlacStreamInfo parse(byte[] b) {
    // Bytes 10..17 pack sample rate (20 bits), channels-1 (3), bits-1 (5), total samples (36).
    long packed = 0;
    for (int i = 10; i < 18; i++) {
      packed = (packed << 8) | (b[i] & 0xFF);
    }
    byte[] md5 = new byte[16];
    System.arraycopy(b, 18, md5, 0, 16);
    return new FlacStreamInfo(
        (int) (packed >>> 44),
        (int) ((packed >>> 41) & 0x7) + 1,
        (int) ((packed >>> 36) & 0x1F) + 1,
        packed & 0xF_FFFF_FFFFL,
        md5);
  }

  boolean hasMd5() {
    for (byte b : md5) {
      if (b != 0) {
        return true;
      }
    }
    return false;
  }

  AudioInfo info(long frames) {
    return new AudioInfo(
        Container.FLAC, Encoding.FLAC, sampleRate, channels, bitsPerSample, frames);
  }
}
