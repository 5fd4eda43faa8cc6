package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.concat;
import static io.nautilus.audio.TestAudio.cut;
import static io.nautilus.audio.TestAudio.decode;
import static io.nautilus.audio.TestAudio.probe;
import static io.nautilus.audio.TestAudio.resource;
import static io.nautilus.audio.TestAudio.validate;
import static io.nautilus.audio.TestAudio.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.audio.AudioFormatException.Reason;
import io.nautilus.audio.TestAudio.WavBuilder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavRealWorldTest {

  private static final byte[] FOUR_S16_FRAMES = {1, 0, 2, 0, 3, 0, 4, 0};

  @Test
  void espeakWavWithExactSizesValidates() throws Exception {
    byte[] bytes = resource("espeak_hello.wav");
    AudioInfo expected = new AudioInfo(Container.WAV, Encoding.PCM_S16, 22050, 1, 16, 23190);

    assertThat(validate(bytes, "hello.wav")).isEqualTo(expected);
    assertThat(probe(bytes, "hello.wav")).isEqualTo(expected);
    assertThat(expected.durationSeconds())
        .isCloseTo(1.0517, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void espeakStdoutWavWithPlaceholderSizesRunsToTheEndOfTheFile() throws Exception {
    byte[] bytes = resource("espeak_stdout.wav");
    // What espeak-ng --stdout writes: it cannot seek back, so both sizes stay placeholders.
    assertThat(LittleEndian.u32(bytes, 4)).isEqualTo(0x7FFFF024L);
    assertThat(LittleEndian.u32(bytes, 40)).isEqualTo(0x7FFFF000L);
    long frames = (bytes.length - 44) / 2;
    AudioInfo expected = new AudioInfo(Container.WAV, Encoding.PCM_S16, 22050, 1, 16, frames);

    assertThat(validate(bytes, "stdout.wav")).isEqualTo(expected);
    assertThat(probe(bytes, "stdout.wav")).isEqualTo(expected);
    DecodedAudio decoded = decode(bytes, "stdout.wav");
    assertThat(decoded.frames()).isEqualTo(frames);
    assertThat(decoded.samples()[0][(int) frames - 1])
        .isEqualTo(LittleEndian.u16(bytes, bytes.length - 2) / 32768f);
  }

  @Test
  void placeholderDataCutInsideAFrameIsTruncated() {
    byte[] bytes = resource("espeak_stdout.wav");

    assertThatThrownBy(() -> validate(cut(bytes, bytes.length - 1), "cut.wav"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(
            "Cannot read audio cut.wav: the audio data (running to the end of the file, its size"
                + " being the streaming placeholder 2147479552) ends inside a frame: 32595 bytes"
                + " is not a whole number of 2-byte frames")
        .extracting(e -> ((AudioFormatException) e).reason())
        .isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void otherStreamingPlaceholdersAlsoRunToTheEnd() throws Exception {
    for (long placeholder : new long[] {0x7FFFFFFFL, 0xFFFFFFFFL}) {
      byte[] bytes =
          WavBuilder.riff()
              .riffSize(placeholder)
              .fmt(1, 1, 8000, 16)
              .chunk("data", placeholder, FOUR_S16_FRAMES)
              .build();

      assertThat(validate(bytes, "p.wav").frames()).as("%x", placeholder).isEqualTo(4);
      assertThat(decode(bytes, "p.wav").samples()[0])
          .containsExactly(1 / 32768f, 2 / 32768f, 3 / 32768f, 4 / 32768f);
    }
  }

  @Test
  void soxExtensible32BitIntWithFactChunkValidates() throws Exception {
    byte[] bytes = resource("sox_s32_extensible.wav");
    assertThat(LittleEndian.u16(bytes, 20)).isEqualTo(0xFFFE);

    assertThat(validate(bytes, "s32.wav"))
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.PCM_S32, 8000, 1, 32, 400));
    float[] samples = decode(bytes, "s32.wav").samples()[0];
    float peak = 0;
    for (float s : samples) {
      peak = Math.max(peak, Math.abs(s));
    }
    // sox made a 440 Hz sine at half scale.
    assertThat(peak).isBetween(0.49f, 0.5f);
  }

  @Test
  void soxStreamedFloatWavWithPlaceholderAndFactChunkValidates() throws Exception {
    byte[] bytes = resource("sox_pipe_f32.wav");
    assertThat(LittleEndian.u32(bytes, 54)).isEqualTo(0x7FFFF000L);

    assertThat(validate(bytes, "f32.wav"))
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.FLOAT32, 8000, 1, 32, 400));
  }

  @Test
  void soxExtensible24BitStereoValidates() throws Exception {
    assertThat(validate(resource("tone_s24_stereo.wav"), "s24.wav"))
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.PCM_S24, 16000, 2, 24, 1600));
  }

  @Test
  void chunksBeforeAndAfterDataAreSkippedWithOddSizesPadded() throws Exception {
    byte[] bytes =
        WavBuilder.riff()
            .chunk("LIST", "INFOISFT\u0005\u0000\u0000\u0000Lavf".getBytes())
            .chunk("JUNK", new byte[3])
            .fmt(1, 2, 8000, 16)
            .chunk("fact", new byte[] {2, 0, 0, 0})
            .chunk("data", FOUR_S16_FRAMES)
            .chunk("id3 ", new byte[7])
            .chunk("LIST", new byte[10])
            .build();

    DecodedAudio decoded = decode(bytes, "chunks.wav");
    assertThat(validate(bytes, "chunks.wav").frames()).isEqualTo(2);
    assertThat(decoded.samples()[0]).containsExactly(1 / 32768f, 3 / 32768f);
    assertThat(decoded.samples()[1]).containsExactly(2 / 32768f, 4 / 32768f);
  }

  @Test
  void oddChunkWithoutItsPadByteIsToleratedBeforeData() throws Exception {
    byte[] bytes =
        WavBuilder.riff()
            .chunkWithoutPad("bext", new byte[5])
            .fmt(1, 1, 8000, 16)
            .chunk("data", FOUR_S16_FRAMES)
            .build();

    assertThat(validate(bytes, "nopad.wav").frames()).isEqualTo(4);
  }

  @Test
  void oddSizedDataChunkOfEightBitAudioIsPaddedAndRead() throws Exception {
    byte[] bytes =
        WavBuilder.riff()
            .fmt(1, 1, 8000, 8)
            .chunk("data", new byte[] {(byte) 128, (byte) 255, 0})
            .chunk("LIST", new byte[4])
            .build();

    assertThat(decode(bytes, "u8.wav").samples()[0]).containsExactly(0f, 127 / 128f, -1f);
  }

  @Test
  void garbageAfterTheDataChunkIsIgnored() throws Exception {
    byte[] bytes =
        concat(
            WavBuilder.riff().fmt(1, 1, 8000, 16).chunk("data", FOUR_S16_FRAMES).build(),
            new byte[] {0, 0, 0, (byte) 0xFF, 7});

    assertThat(validate(bytes, "tail.wav").frames()).isEqualTo(4);
  }

  @Test
  void twelveBitPcmIsStoredInSixteenBitsAndReportsTwelve() throws Exception {
    byte[] bytes =
        WavBuilder.riff().fmt(1, 1, 8000, 12, 2).chunk("data", new byte[] {0x10, 0x00}).build();

    assertThat(validate(bytes, "12.wav"))
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.PCM_S16, 8000, 1, 12, 1));
  }

  @Test
  void extensibleFloat64WithSixChannelsDecodes() throws Exception {
    float[][] input = TestAudio.noise(6, 10, 7);
    byte[] plain = wav(input, 48000, Encoding.FLOAT64);
    byte[] data = Arrays.copyOfRange(plain, 58, plain.length);
    byte[] bytes = WavBuilder.riff().extensibleFmt(3, 6, 48000, 64, 64).chunk("data", data).build();

    DecodedAudio decoded = decode(bytes, "ext.wav");
    assertThat(decoded.info())
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.FLOAT64, 48000, 6, 64, 10));
    for (int c = 0; c < 6; c++) {
      assertThat(decoded.samples()[c]).isEqualTo(input[c]);
    }
  }

  @Test
  void extensibleWithFewerValidBitsReportsTheValidBits() throws Exception {
    byte[] bytes =
        WavBuilder.riff().extensibleFmt(1, 1, 8000, 24, 20).chunk("data", new byte[6]).build();

    assertThat(validate(bytes, "20.wav"))
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.PCM_S24, 8000, 1, 20, 2));
  }

  @Test
  void rf64TakesTheDataSizeFromItsDs64Chunk() throws Exception {
    byte[] ds64 = new byte[28];
    LittleEndian.put32(ds64, 8, FOUR_S16_FRAMES.length);
    byte[] bytes =
        WavBuilder.riff()
            .magic("RF64")
            .riffSize(0xFFFFFFFFL)
            .chunk("ds64", ds64)
            .fmt(1, 1, 8000, 16)
            .chunk("data", 0xFFFFFFFFL, FOUR_S16_FRAMES)
            .build();

    assertThat(validate(bytes, "rf64.wav").frames()).isEqualTo(4);
  }
}
