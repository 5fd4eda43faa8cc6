package io.nautilus.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Writes lossless FLAC files (RFC 9639), readable by libFLAC, jflac and {@link AudioDecoder}.
 *
 * <p>The stream is one STREAMINFO block (block sizes, frame sizes, sample count and the MD5 of the
 * audio all filled in) and fixed-size frames of {@link #BLOCK_SIZE} samples, the last one shorter.
 * Each subframe is the smallest of CONSTANT, VERBATIM and FIXED orders 0 to 4 with partitioned Rice
 * residuals; stereo frames also try left/side, side/right and mid/side and keep the smallest. The
 * output is a function of the samples alone: the same input gives the same bytes.
 *
 * <p>Frames are buffered until the end, since STREAMINFO comes first but its frame sizes are known
 * last. The stream is written, not flushed or closed.
 */
public final class FlacEncoder {

  /** Samples per channel in every frame but the last; the {@code flac} tool's default. */
  public static final int BLOCK_SIZE = 4096;

  public static final int MAX_CHANNELS = 8;
  public static final int MIN_BITS = 4;
  public static final int MAX_BITS = 24;

  private static final byte[] MAGIC = {'f', 'L', 'a', 'C'};
  private static final int MAX_SAMPLE_RATE = (1 << 20) - 1;
  private static final int CHANNELS_LEFT_SIDE = 8;
  private static final int CHANNELS_SIDE_RIGHT = 9;
  private static final int CHANNELS_MID_SIDE = 10;

  private final int[][] pcm;
  private final int channels;
  private final int frames;
  private final int sampleRate;
  private final int bits;
  private final FlacSubframe[] subframes;
  private final BitWriter frame = new BitWriter(BLOCK_SIZE * 4);
  private int minFrameBytes = Integer.MAX_VALUE;
  private int maxFrameBytes;

  private FlacEncoder(int[][] pcm, int sampleRate, int bits) {
    this.pcm = pcm;
    this.channels = pcm.length;
    this.frames = pcm[0].length;
    this.sampleRate = sampleRate;
    this.bits = bits;
    int block = Math.min(BLOCK_SIZE, frames);
    // Stereo adds two candidate channels: mid and side.
    subframes = new FlacSubframe[channels == 2 ? 4 : channels];
    for (int i = 0; i < subframes.length; i++) {
      subframes[i] = new FlacSubframe(block);
    }
  }

  /**
   * Encodes integer samples.
   *
   * @param pcm {@code [channel][frame]}, each sample within the signed {@code bitsPerSample}-bit
   *     range
   * @param bitsPerSample 4 to 24; 16 and 24 are the usual widths
   * @throws IllegalArgumentException if there are no frames, more than 8 channels, channels of
   *     different lengths, a width or rate FLAC cannot hold, or a sample out of range
   */
  public static void encode(OutputStream out, int[][] pcm, int sampleRate, int bitsPerSample)
      throws IOException {
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(pcm, "pcm is null");
    checkFormat(pcm.length, sampleRate, bitsPerSample);
    checkLengths(pcm);
    checkRange(pcm, bitsPerSample);
    new FlacEncoder(pcm, sampleRate, bitsPerSample).write(out);
  }

  /**
   * Encodes float samples, quantised exactly as {@link WavWriter} quantises them: multiplied by
   * {@code 2^(bitsPerSample-1)}, rounded half to even and clipped. So a FLAC and a WAV written from
   * the same floats at the same width hold the same integers.
   *
   * @param samples {@code [channel][frame]}, finite
   * @throws IllegalArgumentException as {@link #encode(OutputStream, int[][], int, int)} does, or
   *     if a sample is NaN or infinite
   */
  public static void encode(OutputStream out, float[][] samples, int sampleRate, int bitsPerSample)
      throws IOException {
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(samples, "samples is null");
    checkFormat(samples.length, sampleRate, bitsPerSample);
    checkLengths(samples);
    new FlacEncoder(quantise(samples, bitsPerSample), sampleRate, bitsPerSample).write(out);
  }

  private static int[][] quantise(float[][] samples, int bits) {
    double scale = 1L << (bits - 1);
    int[][] pcm = new int[samples.length][];
    for (int c = 0; c < samples.length; c++) {
      float[] in = samples[c];
      int[] q = new int[in.length];
      for (int i = 0; i < in.length; i++) {
        if (!Float.isFinite(in[i])) {
          throw new IllegalArgumentException(
              String.format("Cannot encode FLAC: sample %d of channel %d is %s", i, c, in[i]));
        }
        q[i] = (int) PcmCodec.quantise(in[i], scale);
      }
      pcm[c] = q;
    }
    return pcm;
  }

  private void write(OutputStream out) throws IOException {
    // Room for half the raw size, which typical audio compresses to.
    long guess = (long) frames * channels * bits / 16 + 64;
    ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(guess, 1 << 30));
    for (int from = 0, index = 0; from < frames; from += BLOCK_SIZE, index++) {
      int n = Math.min(BLOCK_SIZE, frames - from);
      encodeFrame(index, from, n);
      minFrameBytes = Math.min(minFrameBytes, frame.size());
      maxFrameBytes = Math.max(maxFrameBytes, frame.size());
      body.write(frame.array(), 0, frame.size());
    }
    out.write(header());
    body.writeTo(out);
  }

  /** The magic and the STREAMINFO block, the only and so the last metadata block. */
  private byte[] header() {
    BitWriter w = new BitWriter(42);
    for (byte b : MAGIC) {
      w.bits(b, 8);
    }
    w.bits(0x80, 8); // last block, type 0
    w.bits(34, 24);
    // Like the flac tool, the nominal block size even when the only block is shorter.
    w.bits(BLOCK_SIZE, 16);
    w.bits(BLOCK_SIZE, 16);
    w.bits(minFrameBytes, 24);
    w.bits(maxFrameBytes, 24);
    w.bits(sampleRate, 20);
    w.bits(channels - 1, 3);
    w.bits(bits - 1, 5);
    w.longBits(frames, 36);
    for (byte b : md5()) {
      w.bits(b, 8);
    }
    byte[] header = new byte[w.size()];
    System.arraycopy(w.array(), 0, header, 0, header.length);
    return header;
  }

  private void encodeFrame(int index, int from, int n) {
    int assignment = planSubframes(from, n);
    frame.reset();
    // Sync code, a reserved zero and blocking strategy 0: a fixed block size.
    frame.bits(0xFFF8, 16);
    int blockCode = FlacFrameCodes.blockSize(n);
    int rateCode = FlacFrameCodes.sampleRate(sampleRate);
    frame.bits(blockCode, 4);
    frame.bits(rateCode, 4);
    frame.bits(assignment, 4);
    frame.bits(FlacFrameCodes.sampleSize(bits), 3);
    frame.bits(0, 1);
    FlacFrameCodes.writeNumber(frame, index);
    FlacFrameCodes.writeBlockSizeTail(frame, blockCode, n);
    FlacFrameCodes.writeSampleRateTail(frame, rateCode, sampleRate);
    frame.bits(FlacCrc.crc8(frame.array(), 0, frame.size()), 8);
    switch (assignment) {
      case CHANNELS_LEFT_SIDE -> writeSubframes(0, 3);
      case CHANNELS_SIDE_RIGHT -> writeSubframes(3, 1);
      case CHANNELS_MID_SIDE -> writeSubframes(2, 3);
      default -> writeSubframes();
    }
    frame.alignToByte();
    frame.bits(FlacCrc.crc16(frame.array(), 0, frame.size()), 16);
  }

  /** Fills and plans the subframes; returns the channel assignment code. */
  private int planSubframes(int from, int n) {
    for (int c = 0; c < channels; c++) {
      System.arraycopy(pcm[c], from, subframes[c].samples, 0, n);
    }
    if (channels != 2) {
      for (int c = 0; c < channels; c++) {
        subframes[c].plan(n, bits);
      }
      return channels - 1;
    }
    int[] left = subframes[0].samples;
    int[] right = subframes[1].samples;
    int[] mid = subframes[2].samples;
    int[] side = subframes[3].samples;
    for (int i = 0; i < n; i++) {
      mid[i] = (left[i] + right[i]) >> 1;
      side[i] = left[i] - right[i];
    }
    long l = subframes[0].plan(n, bits);
    long r = subframes[1].plan(n, bits);
    long m = subframes[2].plan(n, bits);
    long s = subframes[3].plan(n, bits + 1);
    int assignment = 1;
    long best = l + r;
    if (l + s < best) {
      best = l + s;
      assignment = CHANNELS_LEFT_SIDE;
    }
    if (s + r < best) {
      best = s + r;
      assignment = CHANNELS_SIDE_RIGHT;
    }
    if (m + s < best) {
      assignment = CHANNELS_MID_SIDE;
    }
    return assignment;
  }

  private void writeSubframes(int... which) {
    for (int i : which) {
      subframes[i].write(frame);
    }
  }

  private void writeSubframes() {
    for (int c = 0; c < channels; c++) {
      subframes[c].write(frame);
    }
  }

  /** The MD5 of the samples interleaved, signed little-endian, in whole bytes, as FLAC defines. */
  private byte[] md5() {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot sign FLAC audio: the JVM has no MD5", e);
    }
    int bytes = (bits + 7) / 8;
    byte[] buffer = new byte[BLOCK_SIZE * channels * bytes];
    for (int from = 0; from < frames; from += BLOCK_SIZE) {
      int n = Math.min(BLOCK_SIZE, frames - from);
      int p = 0;
      for (int i = from; i < from + n; i++) {
        for (int c = 0; c < channels; c++) {
          int v = pcm[c][i];
          for (int k = 0; k < bytes; k++) {
            buffer[p++] = (byte) (v >> (8 * k));
          }
        }
      }
      md5.update(buffer, 0, p);
    }
    return md5.digest();
  }

  private static void checkFormat(int channels, int sampleRate, int bits) {
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "Cannot encode FLAC: channels must be in [1, 8], got " + channels);
    }
    if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
      throw new IllegalArgumentException(
          "Cannot encode FLAC: sample rate must be in [1, 1048575], got " + sampleRate);
    }
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "Cannot encode FLAC: bits per sample must be in [4, 24], got " + bits);
    }
  }

  /** Checks {@code [channel][frame]} arrays of ints or floats. */
  private static void checkLengths(Object[] channels) {
    for (int c = 0; c < channels.length; c++) {
      Objects.requireNonNull(channels[c], "channel " + c + " is null");
    }
    int frames = Array.getLength(channels[0]);
    for (int c = 1; c < channels.length; c++) {
      if (Array.getLength(channels[c]) != frames) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot encode FLAC: channel %d has %d frames, channel 0 has %d",
                c, Array.getLength(channels[c]), frames));
      }
    }
    if (frames == 0) {
      throw new IllegalArgumentException(
          "Cannot encode FLAC: there are no frames; FLAC marks an unknown length with 0 samples");
    }
  }

  private static void checkRange(int[][] pcm, int bits) {
    int min = -(1 << (bits - 1));
    int max = (1 << (bits - 1)) - 1;
    for (int c = 0; c < pcm.length; c++) {
      for (int i = 0; i < pcm[c].length; i++) {
        int v = pcm[c][i];
        if (v < min || v > max) {
          throw new IllegalArgumentException(
              String.format(
                  "Cannot encode FLAC: sample %d of channel %d is %d, outside the %d-bit range"
                      + " [%d, %d]",
                  i, c, v, bits, min, max));
        }
      }
    }
  }
}
