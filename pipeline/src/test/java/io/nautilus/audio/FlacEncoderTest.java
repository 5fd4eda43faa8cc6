package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.decode;
import static io.nautilus.audio.TestAudio.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FlacEncoderTest {

  private static final int RATE = 16000;

  enum Signal {
    NOISE,
    SINE,
    SILENCE,
    FULL_SCALE,
    STEPS
  }

  static Stream<Arguments> losslessCases() {
    List<Arguments> cases = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      for (int bits : new int[] {16, 24}) {
        for (int channels : new int[] {1, 2, 3}) {
          cases.add(Arguments.of(signal, bits, channels, 9000));
        }
      }
    }
    for (int frames : new int[] {1, 2, 5, 16, 100, 4095, 4096, 4097}) {
      cases.add(Arguments.of(Signal.NOISE, 16, 2, frames));
      cases.add(Arguments.of(Signal.SINE, 24, 1, frames));
    }
    cases.add(Arguments.of(Signal.NOISE, 16, 8, 5000));
    cases.add(Arguments.of(Signal.SINE, 24, 8, 5000));
    for (int bits : new int[] {4, 8, 10, 12, 20}) {
      cases.add(Arguments.of(Signal.NOISE, bits, 2, 5000));
      cases.add(Arguments.of(Signal.FULL_SCALE, bits, 2, 300));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}-bit, {2} channels, {3} frames")
  @MethodSource("losslessCases")
  void decodingGivesBackTheExactIntegers(Signal signal, int bits, int channels, int frames)
      throws Exception {
    int[][] pcm = pcm(signal, bits, channels, frames, 31L * frames + bits);

    byte[] flac = flac(pcm, RATE, bits);

    AudioInfo info = new AudioInfo(Container.FLAC, Encoding.FLAC, RATE, channels, bits, frames);
    // Validation checks every frame CRC, the sample count and the STREAMINFO MD5.
    assertThat(validate(flac, "e.flac")).isEqualTo(info);
    assertThat(integers(decode(flac, "e.flac"), bits)).isDeepEqualTo(pcm);
  }

  @Test
  void streamInfoRecordsBlockAndFrameSizesCountAndMd5() throws Exception {
    // Silence codes as CONSTANT subframes, so every frame's size is known: a 6-byte header (7 with
    // the short last block's size), 3 bytes of subframe and a 2-byte CRC.
    int[][] pcm = {new int[2 * 4096 + 10]};

    byte[] flac = flac(pcm, RATE, 16);

    assertThat(flac).hasSize(42 + 11 + 11 + 12);
    assertThat(new String(flac, 0, 4, "US-ASCII")).isEqualTo("fLaC");
    assertThat(flac[4]).isEqualTo((byte) 0x80); // the last metadata block, STREAMINFO
    assertThat(bits(flac, 8, 0, 16)).as("min block size").isEqualTo(4096);
    assertThat(bits(flac, 8, 16, 16)).as("max block size").isEqualTo(4096);
    assertThat(bits(flac, 8, 32, 24)).as("min frame size").isEqualTo(11);
    assertThat(bits(flac, 8, 56, 24)).as("max frame size").isEqualTo(12);
    assertThat(bits(flac, 8, 80, 20)).as("sample rate").isEqualTo(16000);
    assertThat(bits(flac, 8, 100, 3)).as("channels - 1").isZero();
    assertThat(bits(flac, 8, 103, 5)).as("bits - 1").isEqualTo(15);
    assertThat(bits(flac, 8, 108, 36)).as("total samples").isEqualTo(8202);
    byte[] md5 = new byte[16];
    System.arraycopy(flac, 8 + 18, md5, 0, 16);
    assertThat(md5).isEqualTo(MessageDigest.getInstance("MD5").digest(new byte[2 * 8202]));
  }

  @Test
  void aSineCompressesToUnderFortyPercentOfTheWav() throws Exception {
    float[][] sine = {new float[RATE]};
    for (int i = 0; i < RATE; i++) {
      sine[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / RATE));
    }

    byte[] flac = AudioTranscoder.encode(sine, RATE, Codec.FLAC);
    byte[] wav = AudioTranscoder.encode(sine, RATE, Codec.WAV);

    assertThat(wav).hasSize(44 + 2 * RATE);
    // Measured: 11528 bytes against 32044; flac -l 0 -b 4096 (fixed predictors too): 11594.
    assertThat(flac.length).isLessThan(wav.length * 4 / 10);
  }

  @Test
  void incompressibleNoiseFallsBackToVerbatimWithoutGrowing() throws Exception {
    int frames = 3 * 4096;
    int[][] pcm = pcm(Signal.NOISE, 16, 1, frames, 5);

    byte[] flac = flac(pcm, RATE, 16);

    // Per frame: the 8-byte header and CRC plus a 1-byte subframe header over 2 bytes a sample.
    assertThat(flac.length).isLessThanOrEqualTo(42 + 3 * (2 * 4096 + 9));
  }

  @Test
  void identicalStereoChannelsCostOnlyAConstantSideChannel() throws Exception {
    int frames = 3 * 4096;
    int[] noise = pcm(Signal.SINE, 16, 1, frames, 9)[0];

    byte[] mono = flac(new int[][] {noise}, RATE, 16);
    byte[] stereo = flac(new int[][] {noise, noise.clone()}, RATE, 16);

    // The side channel is all zero: one CONSTANT subframe of 8 + 17 bits per frame.
    assertThat(stereo.length).isGreaterThan(mono.length).isLessThanOrEqualTo(mono.length + 4 * 3);
  }

  @Test
  void stereoFramesPickTheCheapestChannelAssignment() throws Exception {
    int frames = 4096;
    int[] sine = pcm(Signal.SINE, 16, 1, frames, 1)[0];
    int[] noise = pcm(Signal.NOISE, 12, 1, frames, 2)[0];
    int[] plus = new int[frames];
    int[] minus = new int[frames];
    int[] clean = new int[frames];
    for (int i = 0; i < frames; i++) {
      plus[i] = sine[i] / 2 + noise[i] / 64;
      minus[i] = sine[i] / 2 - noise[i] / 64;
      clean[i] = sine[i] / 2;
    }
    int[][] identical = {sine, sine};
    int[][] sumAndDifference = {plus, minus};
    int[][] unrelated = {sine, pcm(Signal.NOISE, 16, 1, frames, 3)[0]};
    // The noise alone (the side) and the clean right are cheaper than the noisy left or mid.
    int[][] noisyLeft = {plus, clean};

    // The 4-bit code after the block size and sample rate codes: 1 for two independent
    // channels, 8 left/side, 9 side/right, 10 mid/side.
    assertThat(assignment(flac(identical, RATE, 16))).isEqualTo(8);
    assertThat(assignment(flac(sumAndDifference, RATE, 16))).isEqualTo(10);
    assertThat(assignment(flac(unrelated, RATE, 16))).isEqualTo(1);
    assertThat(assignment(flac(noisyLeft, RATE, 16))).isEqualTo(9);
    for (int[][] pcm : List.of(identical, sumAndDifference, unrelated, noisyLeft)) {
      assertThat(integers(decode(flac(pcm, RATE, 16), "s.flac"), 16)).isDeepEqualTo(pcm);
    }
  }

  private static int assignment(byte[] flac) {
    return (flac[42 + 3] >> 4) & 0xF;
  }

  @Test
  void floatsAreQuantisedExactlyAsTheWavWriterQuantisesThem() throws Exception {
    float[][] samples = TestAudio.noise(2, 3000, 17);
    float[] edges = {
      1.5f, -1.5f, 1f, -1f, 0.99999f, 0.5f / 32768, 1.5f / 32768, -0.5f / 32768, -2.5f / 32768
    };
    System.arraycopy(edges, 0, samples[1], 100, edges.length);

    for (int bits : new int[] {16, 24}) {
      Encoding encoding = bits == 16 ? Encoding.PCM_S16 : Encoding.PCM_S24;
      DecodedAudio fromFlac = decode(AudioTranscoder.encode(samples, RATE, Codec.FLAC, bits), "f");
      DecodedAudio fromWav = decode(TestAudio.wav(samples, RATE, encoding), "w");

      assertThat(fromFlac.samples()).as("%d bits", bits).isDeepEqualTo(fromWav.samples());
    }
    // Half steps round to even, as in the WAV writer.
    float[] decoded = decode(AudioTranscoder.encode(samples, RATE, Codec.FLAC), "f").samples()[1];
    assertThat(integers(decoded, 100, 109, 16))
        .containsExactly(32767, -32768, 32767, -32768, 32767, 0, 2, 0, -2);
  }

  @Test
  void encodingIsDeterministic() throws Exception {
    int[][] pcm = pcm(Signal.SINE, 24, 2, 10000, 3);

    assertThat(flac(pcm, 44100, 24)).isEqualTo(flac(pcm, 44100, 24));
  }

  @ParameterizedTest(name = "{0} Hz")
  @CsvSource({"8000", "44100", "11000", "44101", "100000", "655350", "700001", "1048575"})
  void everySampleRateRoundTripsWhateverItsFrameHeaderCode(int rate) throws Exception {
    int[][] pcm = pcm(Signal.NOISE, 16, 1, 500, rate);

    byte[] flac = flac(pcm, rate, 16);

    assertThat(validate(flac, "r.flac").sampleRate()).isEqualTo(rate);
    assertThat(integers(decode(flac, "r.flac"), 16)).isDeepEqualTo(pcm);
  }

  @Test
  void invalidInputIsRejected() {
    assertThatThrownBy(() -> flac(new int[9][10], RATE, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode FLAC: channels must be in [1, 8], got 9");
    assertThatThrownBy(() -> flac(new int[0][], RATE, 16))
        .hasMessage("Cannot encode FLAC: channels must be in [1, 8], got 0");
    assertThatThrownBy(() -> flac(new int[1][10], 0, 16))
        .hasMessage("Cannot encode FLAC: sample rate must be in [1, 1048575], got 0");
    assertThatThrownBy(() -> flac(new int[1][10], RATE, 32))
        .hasMessage("Cannot encode FLAC: bits per sample must be in [4, 24], got 32");
    assertThatThrownBy(() -> flac(new int[][] {new int[3], new int[4]}, RATE, 16))
        .hasMessage("Cannot encode FLAC: channel 1 has 4 frames, channel 0 has 3");
    assertThatThrownBy(() -> flac(new int[2][0], RATE, 16))
        .hasMessage(
            "Cannot encode FLAC: there are no frames; FLAC marks an unknown length with 0 samples");
    assertThatThrownBy(() -> flac(new int[][] {{0, 32768}}, RATE, 16))
        .hasMessage(
            "Cannot encode FLAC: sample 1 of channel 0 is 32768, outside the 16-bit range"
                + " [-32768, 32767]");
    assertThatThrownBy(
            () ->
                FlacEncoder.encode(
                    new ByteArrayOutputStream(), new float[][] {{0f, Float.NaN}}, RATE, 16))
        .hasMessage("Cannot encode FLAC: sample 1 of channel 0 is NaN");
  }

  static byte[] flac(int[][] pcm, int rate, int bits) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FlacEncoder.encode(out, pcm, rate, bits);
    return out.toByteArray();
  }

  /** Deterministic test signals of {@code bits}-bit integers. */
  static int[][] pcm(Signal signal, int bits, int channels, int frames, long seed) {
    int max = (1 << (bits - 1)) - 1;
    int min = -(1 << (bits - 1));
    Random random = new Random(seed);
    int[][] pcm = new int[channels][frames];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < frames; i++) {
        pcm[c][i] =
            switch (signal) {
              case NOISE -> min + random.nextInt(max - min + 1);
              case SINE -> (int) Math.round(0.7 * max * Math.sin(0.01 * (c + 1) * i + c));
              case SILENCE -> 0;
                // Left and right at opposite extremes: a side channel needs bits + 1.
              case FULL_SCALE -> ((i + c) % 2 == 0) ? max : min;
              case STEPS -> (i / 700 % 3 - 1) * (max / 3) + c;
            };
      }
    }
    return pcm;
  }

  static int[][] integers(DecodedAudio audio, int bits) {
    int[][] out = new int[audio.channels()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = integers(audio.samples()[c], 0, audio.frames(), bits);
    }
    return out;
  }

  static int[] integers(float[] x, int from, int to, int bits) {
    double scale = 1L << (bits - 1);
    int[] out = new int[to - from];
    for (int i = from; i < to; i++) {
      double v = x[i] * scale;
      assertThat(v).as("sample %d is on the %d-bit grid", i, bits).isEqualTo(Math.rint(v));
      out[i - from] = (int) v;
    }
    return out;
  }

  /** {@code n <= 36} bits at bit {@code offset} from byte {@code start}, most significant first. */
  private static long bits(byte[] b, int start, int offset, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      int bit = offset + i;
      v = (v << 1) | ((b[start + bit / 8] >> (7 - bit % 8)) & 1);
    }
    return v;
  }
}
