package io.nautilus.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/** Fixtures and helpers shared by the audio tests. */
final class TestAudio {

  private TestAudio() {}

  static byte[] resource(String name) {
    try (InputStream in = TestAudio.class.getResourceAsStream("/audio/" + name)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find test resource /audio/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AudioInfo validate(byte[] bytes, String name) throws Exception {
    return AudioProbe.validate(new ByteArrayInputStream(bytes), name);
  }

  static AudioInfo probe(byte[] bytes, String name) throws Exception {
    return AudioProbe.probeHeader(new ByteArrayInputStream(bytes), name);
  }

  static DecodedAudio decode(byte[] bytes, String name) throws Exception {
    return AudioDecoder.decode(new ByteArrayInputStream(bytes), name);
  }

  static byte[] wav(float[][] samples, int sampleRate, Encoding encoding) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WavWriter.write(out, samples, sampleRate, encoding);
    return out.toByteArray();
  }

  /** Deterministic noise in [-1, 1) with the extremes and zero at the start of each channel. */
  static float[][] noise(int channels, int frames, long seed) {
    Random random = new Random(seed);
    float[][] samples = new float[channels][frames];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < frames; i++) {
        samples[c][i] = random.nextFloat() * 2 - 1;
      }
      samples[c][0] = -1f;
      samples[c][1] = 0f;
      samples[c][2] = 0.999f;
    }
    return samples;
  }

  static byte[] cut(byte[] bytes, int length) {
    byte[] out = new byte[length];
    System.arraycopy(bytes, 0, out, 0, length);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Builds RIFF WAVE files chunk by chunk, including ones no sane writer would produce. */
  static final class WavBuilder {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private String magic = "RIFF";
    private Long riffSize;

    static WavBuilder riff() {
      return new WavBuilder();
    }

    WavBuilder magic(String value) {
      magic = value;
      return this;
    }

    WavBuilder riffSize(long value) {
      riffSize = value;
      return this;
    }

    /** A 16-byte fmt chunk with block align and byte rate derived from the width. */
    WavBuilder fmt(int tag, int channels, int sampleRate, int bits) {
      int align = channels * ((bits + 7) / 8);
      return fmt(tag, channels, sampleRate, bits, align);
    }

    WavBuilder fmt(int tag, int channels, int sampleRate, int bits, int blockAlign) {
      byte[] f = new byte[16];
      LittleEndian.put16(f, 0, tag);
      LittleEndian.put16(f, 2, channels);
      LittleEndian.put32(f, 4, sampleRate);
      LittleEndian.put32(f, 8, (long) sampleRate * blockAlign);
      LittleEndian.put16(f, 12, blockAlign);
      LittleEndian.put16(f, 14, bits);
      return chunk("fmt ", f);
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with a standard subformat GUID. */
    WavBuilder extensibleFmt(int subformat, int channels, int sampleRate, int bits, int validBits) {
      int align = channels * (bits / 8);
      byte[] f = new byte[40];
      LittleEndian.put16(f, 0, 0xFFFE);
      LittleEndian.put16(f, 2, channels);
      LittleEndian.put32(f, 4, sampleRate);
      LittleEndian.put32(f, 8, (long) sampleRate * align);
      LittleEndian.put16(f, 12, align);
      LittleEndian.put16(f, 14, bits);
      LittleEndian.put16(f, 16, 22);
      LittleEndian.put16(f, 18, validBits);
      LittleEndian.put32(f, 20, (1L << channels) - 1);
      LittleEndian.put32(f, 24, subformat);
      byte[] tail = {
        0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
      };
      System.arraycopy(tail, 0, f, 28, tail.length);
      return chunk("fmt ", f);
    }

    /** A chunk with its pad byte when the size is odd. */
    WavBuilder chunk(String id, byte[] content) {
      chunkHeader(id, content.length);
      body.writeBytes(content);
      if (content.length % 2 == 1) {
        body.write(0);
      }
      return this;
    }

    WavBuilder chunkWithoutPad(String id, byte[] content) {
      chunkHeader(id, content.length);
      body.writeBytes(content);
      return this;
    }

    /** A chunk header declaring {@code size}, followed by exactly {@code content}. */
    WavBuilder chunk(String id, long size, byte[] content) {
      chunkHeader(id, size);
      body.writeBytes(content);
      return this;
    }

    WavBuilder raw(byte[] bytes) {
      body.writeBytes(bytes);
      return this;
    }

    private void chunkHeader(String id, long size) {
      body.writeBytes(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] s = new byte[4];
      LittleEndian.put32(s, 0, size);
      body.writeBytes(s);
    }

    byte[] build() {
      byte[] content = body.toByteArray();
      byte[] header = new byte[12];
      System.arraycopy(magic.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, header, 0, 4);
      LittleEndian.put32(header, 4, riffSize != null ? riffSize : 4 + content.length);
      System.arraycopy(
          "WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, header, 8, 4);
      return concat(header, content);
    }
  }
}
