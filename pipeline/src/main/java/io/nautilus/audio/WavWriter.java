package io.nautilus.audio;

import static io.nautilus.audio.LittleEndian.put16;
import static io.nautilus.audio.LittleEndian.put32;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes WAV files.
 *
 * <p>Integer encodings use format tag 1 (PCM) with a 16-byte fmt chunk, the layout every reader
 * accepts; float encodings use tag 3 with the {@code cbSize} field and a {@code fact} chunk, as the
 * WAVE specification asks of non-PCM formats. Floats are quantised by multiplying by {@code
 * 2^(bits-1)}, rounding half to even and clipping, the inverse of how {@link AudioDecoder} scales.
 * The stream is written, not flushed or closed.
 */
public final class WavWriter {

  private static final int TAG_PCM = 1;
  private static final int TAG_FLOAT = 3;
  private static final long MAX_RIFF_SIZE = 0xFFFFFFFFL;
  private static final int BUFFER_BYTES = 64 * 1024;

  private WavWriter() {}

  /**
   * Writes {@code samples} ({@code [channel][frame]}) as a WAV file.
   *
   * @param encoding PCM_U8, PCM_S16, PCM_S24, PCM_S32, FLOAT32 or FLOAT64
   * @throws IllegalArgumentException if channels differ in length, a sample is NaN or infinite, the
   *     encoding is FLAC, or the audio does not fit a 4 GiB RIFF file
   */
  public static void write(OutputStream out, float[][] samples, int sampleRate, Encoding encoding)
      throws IOException {
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(samples, "samples is null");
    Objects.requireNonNull(encoding, "encoding is null");
    if (encoding == Encoding.FLAC) {
      throw new IllegalArgumentException("Cannot write WAV: FLAC is not a WAV encoding");
    }
    int frames = checkSamples(samples);
    int channels = samples.length;
    int blockAlign = channels * encoding.bytesPerSample();
    long dataBytes = (long) frames * blockAlign;
    writeHeader(out, encoding, channels, sampleRate, frames, dataBytes);
    int blockFrames = Math.max(1, BUFFER_BYTES / blockAlign);
    byte[] buffer = new byte[blockFrames * blockAlign];
    for (int from = 0; from < frames; from += blockFrames) {
      int n = Math.min(blockFrames, frames - from);
      PcmCodec.encode(encoding, samples, from, n, buffer);
      out.write(buffer, 0, n * blockAlign);
    }
    writePad(out, dataBytes);
  }

  /**
   * Writes interleaved 16-bit samples as a PCM WAV file.
   *
   * @param interleaved frame after frame, {@code channels} samples each
   * @throws IllegalArgumentException if the length is not a multiple of {@code channels}
   */
  public static void writePcm16(OutputStream out, short[] interleaved, int channels, int sampleRate)
      throws IOException {
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(interleaved, "interleaved is null");
    checkChannels(channels);
    if (interleaved.length % channels != 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot write WAV: %d interleaved samples are not a whole number of %d-channel"
                  + " frames",
              interleaved.length, channels));
    }
    long dataBytes = 2L * interleaved.length;
    writeHeader(
        out, Encoding.PCM_S16, channels, sampleRate, interleaved.length / channels, dataBytes);
    byte[] buffer = new byte[BUFFER_BYTES];
    for (int from = 0; from < interleaved.length; from += BUFFER_BYTES / 2) {
      int n = Math.min(BUFFER_BYTES / 2, interleaved.length - from);
      for (int i = 0; i < n; i++) {
        put16(buffer, 2 * i, interleaved[from + i]);
      }
      out.write(buffer, 0, 2 * n);
    }
  }

  private static int checkSamples(float[][] samples) {
    checkChannels(samples.length);
    for (int c = 0; c < samples.length; c++) {
      Objects.requireNonNull(samples[c], "samples[" + c + "] is null");
      if (samples[c].length != samples[0].length) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot write WAV: channel %d has %d frames, channel 0 has %d",
                c, samples[c].length, samples[0].length));
      }
      for (int i = 0; i < samples[c].length; i++) {
        if (!Float.isFinite(samples[c][i])) {
          throw new IllegalArgumentException(
              String.format(
                  "Cannot write WAV: sample %d of channel %d is %s", i, c, samples[c][i]));
        }
      }
    }
    return samples[0].length;
  }

  private static void checkChannels(int channels) {
    if (channels < 1 || channels > 0xFFFF) {
      throw new IllegalArgumentException(
          "Cannot write WAV: channels must be in [1, 65535], got " + channels);
    }
  }

  private static void writeHeader(
      OutputStream out, Encoding encoding, int channels, int sampleRate, int frames, long dataBytes)
      throws IOException {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException(
          "Cannot write WAV: sample rate must be positive, got " + sampleRate);
    }
    boolean isFloat = encoding.isFloat();
    int fmtSize = isFloat ? 18 : 16;
    int factChunk = isFloat ? 12 : 0;
    int headerSize = 12 + 8 + fmtSize + factChunk + 8;
    long riffSize = headerSize - 8 + dataBytes + (dataBytes & 1);
    if (riffSize > MAX_RIFF_SIZE) {
      throw new IllegalArgumentException(
          "Cannot write WAV: " + dataBytes + " bytes of audio do not fit a 4 GiB RIFF file");
    }
    int bytesPerSample = encoding.bytesPerSample();
    byte[] h = new byte[headerSize];
    int p = ascii(h, 0, "RIFF");
    put32(h, p, riffSize);
    p = ascii(h, p + 4, "WAVE");
    p = ascii(h, p, "fmt ");
    put32(h, p, fmtSize);
    put16(h, p + 4, isFloat ? TAG_FLOAT : TAG_PCM);
    put16(h, p + 6, channels);
    put32(h, p + 8, sampleRate);
    put32(h, p + 12, (long) sampleRate * channels * bytesPerSample);
    put16(h, p + 16, channels * bytesPerSample);
    put16(h, p + 18, 8 * bytesPerSample);
    p += 4 + fmtSize; // cbSize, when present, stays 0
    if (isFloat) {
      p = ascii(h, p, "fact");
      put32(h, p, 4);
      put32(h, p + 4, frames);
      p += 8;
    }
    p = ascii(h, p, "data");
    put32(h, p, dataBytes);
    out.write(h);
  }

  private static void writePad(OutputStream out, long dataBytes) throws IOException {
    if ((dataBytes & 1) != 0) {
      out.write(0);
    }
  }

  private static int ascii(byte[] b, int p, String id) {
    byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, b, p, bytes.length);
    return p + bytes.length;
  }
}
