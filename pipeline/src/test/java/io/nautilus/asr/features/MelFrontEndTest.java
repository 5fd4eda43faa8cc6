package io.nautilus.asr.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MelFrontEndTest {
  private static final int LONG = 8000;
  private static final int SHORT = 5000;
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** A rising chirp over noise: every mel band sees energy that changes over time. */
  static float[] speechLike(int samples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[samples];
    for (int t = 0; t < samples; t++) {
      double s = t / 16000.0;
      double chirp = Math.sin(2 * Math.PI * (100 * s + 3000 * s * s));
      out[t] = (float) (0.5 * chirp * (1 + Math.sin(7 * s)) + 0.05 * random.nextGaussian());
    }
    return out;
  }

  /** Two utterances of {@link #LONG} and {@link #SHORT} samples, the second zero-padded. */
  static NDArray batch(NDManager m) {
    float[] data = new float[2 * LONG];
    System.arraycopy(speechLike(LONG, 1), 0, data, 0, LONG);
    System.arraycopy(speechLike(SHORT, 2), 0, data, LONG, SHORT);
    return m.create(data, new Shape(2, LONG));
  }

  private static MelFrontEnd frontEnd(Map<String, Object> overrides) {
    return new MelFrontEnd(MelConfig.fromMap(overrides));
  }

  @Test
  void featuresHaveNemosShapeAndFrameLengths() {
    Features features =
        frontEnd(Map.of()).compute(batch(manager), new int[] {LONG, SHORT}, false, 0);
    assertThat(features.features().getShape()).isEqualTo(new Shape(2, 80, 51));
    assertThat(features.lengths()).containsExactly(51, 32);
  }

  @Test
  void perFeatureNormalisationGivesZeroMeanUnitStdOverValidFrames() {
    Features features =
        frontEnd(Map.of()).compute(batch(manager), new int[] {LONG, SHORT}, false, 0);
    float[] x = features.features().toFloatArray();
    int total = 51;
    for (int b = 0; b < 2; b++) {
      int frames = features.lengths()[b];
      for (int m = 0; m < 80; m++) {
        double sum = 0;
        double squares = 0;
        for (int t = 0; t < frames; t++) {
          double v = x[(b * 80 + m) * total + t];
          sum += v;
          squares += v * v;
        }
        double mean = sum / frames;
        double std = Math.sqrt((squares - frames * mean * mean) / (frames - 1));
        assertThat(mean).as("mean of band %d, utterance %d", m, b).isCloseTo(0, within(1e-5));
        assertThat(std).as("std of band %d, utterance %d", m, b).isCloseTo(1, within(1e-4));
      }
    }
  }

  @Test
  void allFeaturesNormalisationIsOverEveryBandAndValidFrame() {
    Features features =
        frontEnd(Map.of("normalize", "all_features"))
            .compute(batch(manager), new int[] {LONG, SHORT}, false, 0);
    float[] x = features.features().toFloatArray();
    int frames = features.lengths()[1];
    double sum = 0;
    double squares = 0;
    for (int m = 0; m < 80; m++) {
      for (int t = 0; t < frames; t++) {
        double v = x[(80 + m) * 51 + t];
        sum += v;
        squares += v * v;
      }
    }
    int n = 80 * frames;
    double mean = sum / n;
    assertThat(mean).isCloseTo(0, within(1e-5));
    assertThat(Math.sqrt((squares - n * mean * mean) / (n - 1))).isCloseTo(1, within(1e-4));
  }

  @Test
  void framesPastAnUtterancesEndAreZero() {
    Features features =
        frontEnd(Map.of()).compute(batch(manager), new int[] {LONG, SHORT}, false, 0);
    NDArray x = features.features();
    assertThat(x.get("1, :, 32:").abs().max().getFloat()).isZero();
    assertThat(x.get("1, :, 31").abs().max().getFloat()).isGreaterThan(0.1f);
  }

  @Test
  void padValueAndPadToFillTheFramesPastTheEnd() {
    Features features =
        frontEnd(Map.of("pad_to", 16, "pad_value", -5.0))
            .compute(batch(manager), new int[] {LONG, SHORT}, false, 0);
    NDArray x = features.features();
    assertThat(x.getShape()).isEqualTo(new Shape(2, 80, 64));
    assertThat(x.get("1, :, 32:").toFloatArray()).containsOnly(-5f);
    assertThat(x.get("0, :, 51:").toFloatArray()).containsOnly(-5f);
    assertThat(x.get("0, :, :51").eq(-5f).any().getBoolean()).isFalse();
  }

  @Test
  void batchPaddingDoesNotChangeAnUtterancesFeatures() {
    MelFrontEnd frontEnd = frontEnd(Map.of());
    Features padded = frontEnd.compute(batch(manager), new int[] {LONG, SHORT}, false, 0);
    NDArray alone = manager.create(speechLike(SHORT, 2), new Shape(1, SHORT));
    Features single = frontEnd.compute(alone, new int[] {SHORT}, false, 0);
    float[] expected = single.features().toFloatArray();
    float[] actual = padded.features().get("1, :, :32").toFloatArray();
    assertThat(actual).containsExactly(expected, within(1e-4f));
  }

  @Test
  void logMelWithoutNormalisationIsTheLogOfTheMelPowerPlusTheGuard() {
    MelFrontEnd frontEnd = frontEnd(Map.of("normalize", "none"));
    int[] lengths = {LONG, SHORT};
    NDArray power = frontEnd.melPower(batch(manager), lengths, false, 0);
    Features features = frontEnd.compute(batch(manager), lengths, false, 0);
    float[] p = power.get("0").toFloatArray();
    float[] f = features.features().get("0").toFloatArray();
    for (int i = 0; i < p.length; i++) {
      assertThat(f[i]).isCloseTo((float) Math.log(p[i] + Math.pow(2, -24)), within(1e-4f));
    }
  }

  @Test
  void ditherIsSeededAndOnlyAppliedWhenTraining() {
    // Dither 1e-2 rather than 1e-5 so that its effect is far above float rounding.
    MelFrontEnd frontEnd = frontEnd(Map.of("dither", 0.01));
    int[] lengths = {LONG, SHORT};
    float[] a = frontEnd.compute(batch(manager), lengths, true, 7).features().toFloatArray();
    float[] b = frontEnd.compute(batch(manager), lengths, true, 7).features().toFloatArray();
    float[] c = frontEnd.compute(batch(manager), lengths, true, 8).features().toFloatArray();
    float[] eval1 = frontEnd.compute(batch(manager), lengths, false, 7).features().toFloatArray();
    float[] eval2 = frontEnd.compute(batch(manager), lengths, false, 8).features().toFloatArray();
    assertThat(a).containsExactly(b);
    assertThat(maxDifference(a, c)).isGreaterThan(0.01);
    assertThat(maxDifference(a, eval1)).isGreaterThan(0.01);
    assertThat(eval1).containsExactly(eval2);
  }

  @Test
  void singleFrameUtteranceCannotBeNormalisedPerFeature() {
    NDArray audio = manager.create(new float[400], new Shape(2, 200));
    assertThatThrownBy(() -> frontEnd(Map.of()).compute(audio, new int[] {200, 100}, false, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot normalize per_feature: utterance 1 has a single frame, whose unbiased"
                + " standard deviation is undefined");
  }

  @Test
  void emptyUtteranceGivesZeroFramesOfZeros() {
    float[] data = new float[2 * LONG];
    System.arraycopy(speechLike(LONG, 1), 0, data, 0, LONG);
    Features features =
        frontEnd(Map.of())
            .compute(manager.create(data, new Shape(2, LONG)), new int[] {LONG, 0}, false, 0);
    assertThat(features.lengths()).containsExactly(51, 0);
    assertThat(features.features().get("1").toFloatArray()).containsOnly(0f);
  }

  @Test
  void badBatchesAreRejected() {
    MelFrontEnd frontEnd = frontEnd(new HashMap<>());
    NDArray audio = batch(manager);
    assertThatThrownBy(() -> frontEnd.compute(audio, new int[] {LONG}, false, 0))
        .hasMessage("Cannot compute features: 1 lengths for a batch of 2");
    assertThatThrownBy(() -> frontEnd.compute(audio, new int[] {LONG, LONG + 1}, false, 0))
        .hasMessage("Cannot compute features: length 8001 of utterance 1 is outside 0..8000");
    assertThatThrownBy(() -> frontEnd.compute(audio.reshape(16000), new int[] {16000}, false, 0))
        .hasMessage(
            "Cannot compute features: audio must be (batch, samples) with samples >= 1, got"
                + " (16000)");
  }

  @Test
  void temporariesAreFreedAndTheResultBelongsToTheAudiosManager() {
    try (NDManager local = manager.newSubManager()) {
      NDArray audio = batch(local);
      int before = local.getManagedArrays().size();
      Features features = frontEnd(Map.of()).compute(audio, new int[] {LONG, SHORT}, true, 3);
      assertThat(features.features().getManager()).isSameAs(local);
      assertThat(local.getManagedArrays().size()).isEqualTo(before + 1);
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
