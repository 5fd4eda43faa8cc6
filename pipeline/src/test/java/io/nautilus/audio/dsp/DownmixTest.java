package io.nautilus.audio.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DownmixTest {

  @Test
  void monoIsTheMeanOfTheChannels() {
    float[][] stereo = {{1f, 0.5f, -1f, 0.25f}, {0f, -0.5f, -1f, 0.75f}};

    assertThat(Downmix.toMono(stereo)).containsExactly(0.5f, 0f, -1f, 0.5f);
  }

  @Test
  void threeChannelsAreAveragedWithOneRounding() {
    float[][] channels = {{1f, 0.1f}, {0f, 0.2f}, {0f, 0.3f}};

    // (0.1f + 0.2f + 0.3f) / 3 summed in double, rounded once.
    float expected = (float) (((double) 0.1f + 0.2f + 0.3f) / 3);
    assertThat(Downmix.toMono(channels)).containsExactly(1f / 3, expected);
    assertThat(expected).isEqualTo(0.2f);
  }

  @Test
  void stereoMeanEqualsTheFloat32MeanNumpyComputes() {
    // numpy adds in float32, then halves; the double sum rounded once gives the same float.
    float a = 0.1f;
    float b = 1e-9f;

    assertThat(Downmix.toMono(new float[][] {{a}, {b}})[0]).isEqualTo((a + b) / 2);
  }

  @Test
  void oneChannelIsCopied() {
    float[] mono = {0.1f, -0.2f};

    float[] out = Downmix.toMono(new float[][] {mono});

    assertThat(out).isNotSameAs(mono).containsExactly(0.1f, -0.2f);
  }

  @Test
  void emptyOrRaggedChannelsAreRejected() {
    assertThatThrownBy(() -> Downmix.toMono(new float[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot mix down to mono: there are no channels");
    assertThatThrownBy(() -> Downmix.toMono(new float[][] {new float[2], new float[1]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot mix down to mono: channel 1 has 1 frames, channel 0 has 2");
  }
}
