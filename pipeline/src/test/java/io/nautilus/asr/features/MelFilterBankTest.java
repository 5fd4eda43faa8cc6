package io.nautilus.asr.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MelFilterBankTest {

  @Test
  void slaneyScaleIsLinearBelowOneKilohertzAndLogarithmicAbove() {
    assertThat(MelFilterBank.hzToMel(200)).isCloseTo(3.0, within(1e-12));
    assertThat(MelFilterBank.hzToMel(1000)).isCloseTo(15.0, within(1e-12));
    // 27 mels per factor 6.4 above 1 kHz.
    assertThat(MelFilterBank.hzToMel(6400)).isCloseTo(42.0, within(1e-12));
    assertThat(MelFilterBank.melToHz(MelFilterBank.hzToMel(3137.5)))
        .isCloseTo(3137.5, within(1e-9));
  }

  @Test
  void slaneyNormScalesEachTriangleToTwoOverItsWidth() {
    float[][] plain = MelFilterBank.slaney(16000, 512, 40, 0, 8000, false);
    float[][] normed = MelFilterBank.slaney(16000, 512, 40, 0, 8000, true);
    double step = (MelFilterBank.hzToMel(8000) - MelFilterBank.hzToMel(0)) / 41;
    for (int m = 0; m < 40; m++) {
      double width = MelFilterBank.melToHz((m + 2) * step) - MelFilterBank.melToHz(m * step);
      int peak = 0;
      for (int k = 0; k < plain[m].length; k++) {
        assertThat(plain[m][k]).isBetween(0f, 1f);
        if (plain[m][k] > plain[m][peak]) {
          peak = k;
        }
      }
      assertThat(plain[m][peak]).as("filter %d has support", m).isGreaterThan(0.5f);
      assertThat((double) normed[m][peak])
          .isCloseTo(plain[m][peak] * 2 / width, within(1e-6 * normed[m][peak]));
    }
  }
}
