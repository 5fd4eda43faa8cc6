package io.nautilus.audio.dsp;

import static io.nautilus.audio.dsp.Signals.rms;
import static io.nautilus.audio.dsp.Signals.sine;
import static io.nautilus.audio.dsp.Signals.snrDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

  @Test
  void oneKilohertzSineFrom22050To16000MatchesTheIdealSineAbove100Db() {
    float[] x = sine(1000, 22050, 44100, 0.5);

    float[] y = Resampler.of(22050, 16000).resample(x);

    assertThat(y).hasSize(32000);
    // The middle half, away from the zero padding at the ends; measured: 114.0 dB.
    assertThat(snrDb(y, 1000, 16000, 0.5, 8000, 24000)).isGreaterThan(100);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({
    "16000, 22050",
    "44100, 16000",
    "48000, 16000",
    "8000, 16000",
    "11025, 16000",
    "44100, 48000",
    // 16001 is prime: 16001 phases, so the rows are interpolated on a grid.
    "22050, 16001"
  })
  void sineInThePassBandSurvivesEveryRatePairAbove100Db(int in, int out) {
    double frequency = 0.875 * Math.min(in, out) / 2; // 7 kHz for 16 kHz output
    float[] x = sine(frequency, in, 2 * in, 0.5);

    float[] y = Resampler.of(in, out).resample(x);

    assertThat(y).hasSize(2 * out);
    assertThat(snrDb(y, frequency, out, 0.5, out / 2, 3 * out / 2)).isGreaterThan(100);
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"22050, 16000", "44100, 16000", "48000, 16000", "22050, 16001"})
  void toneAboveTheNewNyquistIsRemovedNotAliased(int in, int out) {
    // 9.5 kHz for 16 kHz output: it would alias to 6.5 kHz, well inside the pass band.
    double frequency = 1.1875 * out / 2;
    float[] x = sine(frequency, in, 2 * in, 0.5);

    float[] y = Resampler.of(in, out).resample(x);

    double attenuationDb =
        20 * Math.log10(rms(x, in / 2, 3 * in / 2) / rms(y, out / 2, 3 * out / 2));
    // Measured: 116.2 dB.
    assertThat(attenuationDb).isGreaterThan(100);
  }

  @Test
  void passBandEdgeIsFlatAndStopBandEdgeIsDark() {
    Resampler resampler = Resampler.of(32000, 16000);
    float[] pass = sine(0.9 * 8000, 32000, 64000, 0.5);
    float[] stop = sine(8000 * 1.005, 32000, 64000, 0.5);

    double passGain = rms(resampler.resample(pass), 8000, 24000) / rms(pass, 16000, 48000);
    double stopGain = rms(resampler.resample(stop), 8000, 24000) / rms(stop, 16000, 48000);

    assertThat(20 * Math.log10(passGain)).isBetween(-0.001, 0.001);
    assertThat(20 * Math.log10(stopGain)).isLessThan(-95);
  }

  @Test
  void constantSignalStaysExactlyConstantAwayFromTheEdges() {
    float[] x = new float[22050];
    Arrays.fill(x, 0.25f);

    float[] y = Resampler.of(22050, 16000).resample(x);

    int margin = Resampler.of(22050, 16000).taps();
    for (int i = margin; i < y.length - margin; i++) {
      assertThat(y[i]).as("frame %d", i).isEqualTo(0.25f);
    }
  }

  @ParameterizedTest(name = "{0} frames at {1} Hz -> {3} at {2} Hz")
  @CsvSource({
    "22050, 22050, 16000, 16000",
    "100, 22050, 16000, 73", // 72.56
    "1, 22050, 16000, 1",
    "0, 22050, 16000, 0",
    "441, 44100, 16000, 160", // exactly 160: no rounding up
    "442, 44100, 16000, 161",
    "3, 48000, 16000, 1",
    "4, 48000, 16000, 2",
    "5, 8000, 16000, 10",
    "7, 16000, 16000, 7"
  })
  void outputLengthIsTheCeilingOfTheExactRatio(int frames, int in, int out, int expected) {
    Resampler resampler = Resampler.of(in, out);

    assertThat(resampler.outputFrames(frames)).isEqualTo(expected);
    assertThat(resampler.resample(new float[frames])).hasSize(expected);
  }

  @Test
  void equalRatesCopyTheSamplesExactly() {
    float[] x = {0.1f, -0.0f, Float.MIN_VALUE, 1f, -1f};

    float[] y = Resampler.of(16000, 16000).resample(x);

    assertThat(y).isNotSameAs(x).containsExactly(x);
    assertThat(Float.floatToRawIntBits(y[1])).isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(Resampler.of(16000, 16000).taps()).isZero();
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({"22050, 16000", "8000, 16000", "48000, 16000", "22050, 16001", "16000, 16000"})
  void streamingInAnyBlocksIsBitIdenticalToOneShot(int in, int out) {
    float[] x = noise(30011, 7);
    Resampler resampler = Resampler.of(in, out);
    float[] whole = resampler.resample(x);

    Random random = new Random(11);
    ResamplerStream stream = resampler.newStream();
    float[] pieces = new float[0];
    for (int from = 0; from < x.length; ) {
      int n = Math.min(x.length - from, random.nextInt(3000));
      pieces = concat(pieces, stream.process(x, from, n));
      from += n;
    }
    pieces = concat(pieces, stream.finish());

    assertThat(stream.inputFrames()).isEqualTo(x.length);
    assertThat(stream.outputFrames()).isEqualTo(whole.length);
    assertThat(pieces).containsExactly(whole);
  }

  @Test
  void streamReturnsOutputAsSoonAsItsWindowIsComplete() {
    Resampler resampler = Resampler.of(8000, 16000);
    ResamplerStream stream = resampler.newStream();

    // 144 taps centred on the output position: 72 input frames past it are needed.
    assertThat(stream.process(new float[72])).isEmpty();
    assertThat(stream.process(new float[1])).hasSize(2);
    assertThat(stream.process(new float[10])).hasSize(20);
    assertThat(stream.finish()).hasSize(2 * 83 - 22);
  }

  @Test
  void resampledOutputIsPinnedBitForBit() {
    // Any change to the filter or the summation order changes this checksum; so would a JVM
    // that computed differently, which Java's strict floating point rules out.
    float[] y = Resampler.of(22050, 16000).resample(noise(5000, 3));

    assertThat(y).hasSize(3629);
    assertThat(crc(y)).isEqualTo(2298831115L);
  }

  @Test
  void channelsAreResampledIndependently() {
    float[][] x = {noise(1000, 1), sine(440, 22050, 1000, 0.3)};
    Resampler resampler = Resampler.of(22050, 16000);

    float[][] y = resampler.resample(x);

    assertThat(y).hasNumberOfRows(2);
    assertThat(y[0]).containsExactly(resampler.resample(x[0]));
    assertThat(y[1]).containsExactly(resampler.resample(x[1]));
  }

  @Test
  void filterBanksAreSharedPerReducedRatio() {
    assertThat(Resampler.of(44100, 22050).taps()).isEqualTo(Resampler.of(32000, 16000).taps());
    assertThat(Resampler.of(22050, 16000).taps()).isEqualTo(200);
    assertThat(Resampler.of(22050, 16000).toString())
        .isEqualTo("Resampler[22050 Hz -> 16000 Hz, 200 taps]");
  }

  @Test
  void invalidRatesAreRejected() {
    assertThatThrownBy(() -> Resampler.of(0, 16000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot resample from 0 Hz to 16000 Hz: rates must be positive");
    assertThatThrownBy(() -> Resampler.of(16000, -1))
        .hasMessage("Cannot resample from 16000 Hz to -1 Hz: rates must be positive");
    assertThatThrownBy(() -> Resampler.of(257 * 1000, 1000))
        .hasMessage("Cannot resample from 257000 Hz to 1000 Hz: at most 256 times down");
    assertThat(Resampler.of(256 * 1000, 1000).outRate()).isEqualTo(1000);
  }

  @Test
  void raggedChannelsAndReuseAfterFinishAreRejected() {
    Resampler resampler = Resampler.of(22050, 16000);
    ResamplerStream stream = resampler.newStream();
    stream.finish();

    assertThatThrownBy(() -> resampler.resample(new float[][] {new float[3], new float[4]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot resample: channel 1 has 4 frames, channel 0 has 3");
    assertThatThrownBy(() -> stream.process(new float[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot process: the resampler stream is finished");
    assertThatThrownBy(stream::finish)
        .hasMessage("Cannot finish: the resampler stream is finished");
    assertThatThrownBy(() -> resampler.outputFrames(-1))
        .hasMessage("Cannot count output frames: input frames must not be negative, got -1");
  }

  private static float[] noise(int frames, long seed) {
    Random random = new Random(seed);
    float[] x = new float[frames];
    for (int i = 0; i < frames; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    return x;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static long crc(float[] x) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * x.length);
    for (float v : x) {
      bytes.putInt(Float.floatToRawIntBits(v));
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.array());
    return crc.getValue();
  }
}
