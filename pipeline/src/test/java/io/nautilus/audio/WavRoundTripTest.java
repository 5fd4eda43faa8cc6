package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.decode;
import static io.nautilus.audio.TestAudio.noise;
import static io.nautilus.audio.TestAudio.validate;
import static io.nautilus.audio.TestAudio.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WavRoundTripTest {

  private static final int RATE = 16000;
  private static final int FRAMES = 701;

  static Stream<Arguments> encodingsAndChannels() {
    List<Arguments> cases = new ArrayList<>();
    for (Encoding encoding : Encoding.values()) {
      if (encoding == Encoding.FLAC) {
        continue;
      }
      for (int channels : new int[] {1, 2, 6}) {
        cases.add(Arguments.of(encoding, channels));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} x {1} channels")
  @MethodSource("encodingsAndChannels")
  void writtenWavValidatesAndDecodesToInputWithinQuantisation(Encoding encoding, int channels)
      throws Exception {
    float[][] input = noise(channels, FRAMES, 42 + channels);
    byte[] bytes = wav(input, RATE, encoding);

    AudioInfo expected =
        new AudioInfo(
            Container.WAV, encoding, RATE, channels, 8 * encoding.bytesPerSample(), FRAMES);
    assertThat(validate(bytes, "rt.wav")).isEqualTo(expected);
    assertThat(AudioProbe.probeHeader(new java.io.ByteArrayInputStream(bytes), "rt.wav"))
        .isEqualTo(expected);
    DecodedAudio decoded = decode(bytes, "rt.wav");
    assertThat(decoded.info()).isEqualTo(expected);
    double tolerance = tolerance(encoding);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < FRAMES; i++) {
        float want = input[c][i];
        if (!encoding.isFloat() && want >= 1 - tolerance) {
          continue; // clipped to the largest code, checked separately
        }
        assertThat((double) decoded.samples()[c][i])
            .as("channel %d frame %d", c, i)
            .isCloseTo(want, org.assertj.core.data.Offset.offset(tolerance));
      }
    }
    assertThat(bytes.length).isEqualTo(headerSize(encoding) + dataSizeWithPad(encoding, channels));
  }

  private static double tolerance(Encoding encoding) {
    return switch (encoding) {
      case PCM_U8 -> 0.5 / 128;
      case PCM_S16 -> 0.5 / 32768;
      case PCM_S24 -> 0.5 / 8388608;
        // 2^31 steps are finer than a float's 24-bit mantissa: the float rounding dominates.
      case PCM_S32 -> Math.ulp(1f) / 2;
      default -> 0;
    };
  }

  private static int headerSize(Encoding encoding) {
    return encoding.isFloat() ? 58 : 44;
  }

  private static int dataSizeWithPad(Encoding encoding, int channels) {
    int data = FRAMES * channels * encoding.bytesPerSample();
    return data + (data & 1);
  }

  @Test
  void pcm16RoundsHalfToEvenAndClipsAtFullScale() throws Exception {
    float step = 1f / 32768;
    float[][] input = {
      {
        0.5f,
        -1f,
        1f,
        1.5f,
        -1.5f,
        0.5f * step,
        1.5f * step,
        -0.5f * step,
        0.49f * step,
        2.5f * step
      }
    };
    byte[] bytes = wav(input, 8000, Encoding.PCM_S16);

    short[] codes = new short[input[0].length];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (short) LittleEndian.u16(bytes, 44 + 2 * i);
    }
    assertThat(codes).containsExactly(16384, -32768, 32767, 32767, -32768, 0, 2, 0, 0, 2);
    assertThat(decode(bytes, "q.wav").samples()[0])
        .containsExactly(
            0.5f, -1f, 32767f / 32768, 32767f / 32768, -1f, 0f, 2 * step, 0f, 0f, 2 * step);
  }

  @Test
  void pcmU8StoresSilenceAt128AndClips() throws Exception {
    byte[] bytes = wav(new float[][] {{0f, -1f, 1f, 0.5f, -0.25f}}, 8000, Encoding.PCM_U8);

    assertThat(
            new int[] {
              bytes[44] & 0xFF,
              bytes[45] & 0xFF,
              bytes[46] & 0xFF,
              bytes[47] & 0xFF,
              bytes[48] & 0xFF
            })
        .containsExactly(128, 0, 255, 192, 96);
    // Five one-byte frames make an odd data chunk, which RIFF pads to an even length.
    assertThat(bytes).hasSize(44 + 5 + 1);
    assertThat(LittleEndian.u32(bytes, 4)).isEqualTo(36 + 5 + 1);
    assertThat(LittleEndian.u32(bytes, 40)).isEqualTo(5);
  }

  @Test
  void pcm24AndPcm32UseTheFullIntegerRange() throws Exception {
    byte[] s24 = wav(new float[][] {{1f, -1f}}, 8000, Encoding.PCM_S24);
    byte[] s32 = wav(new float[][] {{1f, -1f}}, 8000, Encoding.PCM_S32);

    assertThat(java.util.Arrays.copyOfRange(s24, 44, 50))
        .containsExactly(0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80);
    assertThat(LittleEndian.u32(s32, 44)).isEqualTo(0x7FFFFFFFL);
    assertThat(LittleEndian.u32(s32, 48)).isEqualTo(0x80000000L);
    assertThat(decode(s24, "a.wav").samples()[0]).containsExactly(8388607f / 8388608, -1f);
  }

  @Test
  void floatWavHasTag3CbSizeAndFactChunk() throws Exception {
    byte[] bytes = wav(new float[][] {{0.25f, 2.5f}, {-0.5f, -3f}}, 44100, Encoding.FLOAT32);

    assertThat(new String(bytes, 12, 4, "US-ASCII")).isEqualTo("fmt ");
    assertThat(LittleEndian.u32(bytes, 16)).isEqualTo(18);
    assertThat(LittleEndian.u16(bytes, 20)).isEqualTo(3);
    assertThat(new String(bytes, 38, 4, "US-ASCII")).isEqualTo("fact");
    assertThat(LittleEndian.u32(bytes, 46)).isEqualTo(2);
    assertThat(new String(bytes, 50, 4, "US-ASCII")).isEqualTo("data");
    // Floats are not clipped: out-of-range values survive a float round trip.
    DecodedAudio decoded = decode(bytes, "f.wav");
    assertThat(decoded.samples()[0]).containsExactly(0.25f, 2.5f);
    assertThat(decoded.samples()[1]).containsExactly(-0.5f, -3f);
  }

  @Test
  void writePcm16WritesInterleavedFramesThatDecodeBack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WavWriter.writePcm16(out, new short[] {1000, -1000, 32767, -32768, 0, 5}, 2, 22050);

    byte[] bytes = out.toByteArray();
    DecodedAudio decoded = decode(bytes, "p.wav");
    assertThat(decoded.info())
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.PCM_S16, 22050, 2, 16, 3));
    assertThat(decoded.samples()[0]).containsExactly(1000f / 32768, 32767f / 32768, 0f);
    assertThat(decoded.samples()[1]).containsExactly(-1000f / 32768, -1f, 5f / 32768);
    assertThat(bytes).hasSize(44 + 12);
  }

  @Test
  void writerRejectsNonFiniteSamples() {
    assertThatThrownBy(() -> wav(new float[][] {{0f, Float.NaN}}, 8000, Encoding.FLOAT32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write WAV: sample 1 of channel 0 is NaN");
  }

  @Test
  void writerRejectsChannelsOfDifferentLengths() {
    assertThatThrownBy(() -> wav(new float[][] {{0f, 0f}, {0f}}, 8000, Encoding.PCM_S16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write WAV: channel 1 has 1 frames, channel 0 has 2");
  }

  @Test
  void writerRejectsFlacAndBadRates() {
    assertThatThrownBy(() -> wav(new float[][] {{0f}}, 8000, Encoding.FLAC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write WAV: FLAC is not a WAV encoding");
    assertThatThrownBy(() -> wav(new float[][] {{0f}}, 0, Encoding.PCM_S16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write WAV: sample rate must be positive, got 0");
    assertThatThrownBy(() -> wav(new float[0][], 8000, Encoding.PCM_S16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write WAV: channels must be in [1, 65535], got 0");
  }

  @Test
  void writePcm16RejectsAPartialFrame() {
    assertThatThrownBy(
            () -> WavWriter.writePcm16(new ByteArrayOutputStream(), new short[3], 2, 8000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot write WAV: 3 interleaved samples are not a whole number of 2-channel"
                + " frames");
  }
}
