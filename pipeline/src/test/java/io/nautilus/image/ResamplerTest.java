package io.nautilus.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nautilus.image.Resampler.Taps;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  @Test
  void cubicKernelIsOneAtZeroAndZeroAtWholeNumbers() {
    assertThat(Resampler.cubic(0)).isEqualTo(1.0);
    assertThat(Resampler.cubic(1)).isEqualTo(0.0);
    assertThat(Resampler.cubic(-1)).isEqualTo(0.0);
    assertThat(Resampler.cubic(2)).isEqualTo(0.0);
    assertThat(Resampler.cubic(0.5)).isEqualTo(0.5625);
    assertThat(Resampler.cubic(1.5)).isEqualTo(-0.0625);
  }

  @Test
  void unchangedAxisReadsExactlyOnePixelWithWeightOne() {
    Taps taps = Resampler.taps(7, 7, 0, 7);

    for (int i = 0; i < 7; i++) {
      assertThat(taps.first()[i]).isEqualTo(i);
      assertThat(taps.weights()[i]).containsExactly(1.0);
    }
  }

  @Test
  void shrinkingByFourAveragesSixteenPixelsAwayFromTheEdges() {
    Taps taps = Resampler.taps(64, 16, 0, 16);

    // Radius 2 stretched by 4: 8 input pixels each side of the centre.
    assertThat(taps.weights()[8]).hasSize(16);
    assertThat(taps.first()[8]).isEqualTo(32 + 2 - 8);
    for (double[] w : taps.weights()) {
      assertThat(Arrays.stream(w).sum()).isCloseTo(1.0, within(1e-12));
    }
    assertThat(taps.weights()[0].length).as("cut at the left edge").isLessThan(16);
  }

  @Test
  void windowOffsetSelectsTheSameWeightsAsTheFullAxis() {
    Taps full = Resampler.taps(300, 100, 0, 100);
    Taps window = Resampler.taps(300, 100, 40, 20);

    for (int i = 0; i < 20; i++) {
      assertThat(window.first()[i]).isEqualTo(full.first()[40 + i]);
      assertThat(window.weights()[i]).containsExactly(full.weights()[40 + i]);
    }
  }
}
