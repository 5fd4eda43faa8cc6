package io.nautilus.asr.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpeedPerturbTest {

  private static float[] tone(double hz, int samples, int sampleRate) {
    float[] out = new float[samples];
    for (int t = 0; t < samples; t++) {
      out[t] = (float) (0.5 * Math.sin(2 * Math.PI * hz * t / sampleRate));
    }
    return out;
  }

  /** Frequency from rising zero crossings, away from the edges. */
  private static double frequency(float[] x, int sampleRate) {
    int first = -1;
    int last = -1;
    int crossings = 0;
    for (int t = 2000; t < x.length - 2000; t++) {
      if (x[t - 1] < 0 && x[t] >= 0) {
        if (first < 0) {
          first = t;
        } else {
          crossings++;
        }
        last = t;
      }
    }
    return (double) crossings * sampleRate / (last - first);
  }

  @Test
  void referenceRatesAreNemosFiveFromPointNineToOnePointOne() {
    assertThat(SpeedPerturb.reference(16000).rates())
        .hasSize(5)
        .zipSatisfy(
            java.util.List.of(0.9, 0.95, 1.0, 1.05, 1.1),
            (actual, expected) -> assertThat(actual).isCloseTo(expected, within(1e-12)));
  }

  @Test
  void rateScalesTheLengthAndDividesThePitch() {
    float[] input = tone(1000, 16000, 16000);
    float[] slower = SpeedPerturb.perturb(input, 16000, 1.1);
    float[] faster = SpeedPerturb.perturb(input, 16000, 0.9);
    assertThat(slower).hasSize(17600);
    assertThat(faster).hasSize(14400);
    assertThat(frequency(input, 16000)).isCloseTo(1000, within(1.0));
    assertThat(frequency(slower, 16000)).isCloseTo(1000 / 1.1, within(1.0));
    assertThat(frequency(faster, 16000)).isCloseTo(1000 / 0.9, within(1.0));
  }

  @Test
  void unitRateReturnsACopyOfTheSamples() {
    float[] input = tone(440, 1000, 16000);
    float[] out = SpeedPerturb.perturb(input, 16000, 1.0);
    assertThat(out).isNotSameAs(input).containsExactly(input);
  }

  @Test
  void theSeedPicksTheRateDeterministicallyAmongTheDiscreteRates() {
    SpeedPerturb perturb = SpeedPerturb.reference(16000);
    Set<Double> seen = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      double rate = perturb.rate(seed);
      assertThat(perturb.rate(seed)).isEqualTo(rate);
      seen.add(rate);
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(perturb.rates());
    float[] input = tone(300, 4000, 16000);
    assertThat(perturb.apply(input, 5)).containsExactly(perturb.apply(input, 5));
    assertThat(perturb.apply(input, 5))
        .hasSize((int) Math.ceil(4000 * (int) (16000 * perturb.rate(5)) / 16000.0));
  }

  @Test
  void negativeRateCountDrawsUniformRates() {
    SpeedPerturb perturb = new SpeedPerturb(16000, 0.9, 1.1, -1);
    assertThat(perturb.rates()).isEmpty();
    Set<Double> seen = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      assertThat(perturb.rate(seed)).isBetween(0.9, 1.1).isEqualTo(perturb.rate(seed));
      seen.add(perturb.rate(seed));
    }
    assertThat(seen).hasSize(50);
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> new SpeedPerturb(16000, 1.1, 0.9, 5))
        .hasMessage(
            "Cannot create speed perturbation: need sample_rate > 0, 0 < min_speed_rate <="
                + " max_speed_rate and num_rates != 0, got 16000, 1.1, 0.9, 5");
    assertThatThrownBy(() -> new SpeedPerturb(16000, 0.9, 1.1, 0))
        .hasMessage(
            "Cannot create speed perturbation: need sample_rate > 0, 0 < min_speed_rate <="
                + " max_speed_rate and num_rates != 0, got 16000, 0.9, 1.1, 0");
  }
}
