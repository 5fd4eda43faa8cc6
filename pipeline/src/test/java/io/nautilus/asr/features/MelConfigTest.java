package io.nautilus.asr.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MelConfigTest {

  @Test
  void defaultsAreTheReferenceAsrPreprocessor() {
    MelConfig config = MelConfig.defaults();
    assertThat(config.sampleRate()).isEqualTo(16000);
    assertThat(config.winLength()).isEqualTo(400);
    assertThat(config.hopLength()).isEqualTo(160);
    assertThat(config.nFft()).isEqualTo(512);
    assertThat(config.features()).isEqualTo(80);
    assertThat(config.window()).isEqualTo("hann");
    assertThat(config.normalize()).isEqualTo("per_feature");
    assertThat(config.dither()).isEqualTo(1e-5);
    assertThat(config.preemph()).isEqualTo(0.97);
    assertThat(config.log()).isTrue();
    assertThat(config.logZeroGuardType()).isEqualTo("add");
    assertThat(config.logZeroGuardValue()).isEqualTo(Math.pow(2, -24));
    assertThat(config.magPower()).isEqualTo(2.0);
    assertThat(config.lowfreq()).isEqualTo(0.0);
    assertThat(config.highfreq()).isEqualTo(8000.0);
    assertThat(config.melNorm()).isEqualTo("slaney");
    assertThat(config.padTo()).isZero();
    assertThat(config.padValue()).isZero();
  }

  @Test
  void readsNemosConformerCtcPreprocessorSection() {
    Map<String, Object> section = new HashMap<>();
    section.put("_target_", "nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor");
    section.put("sample_rate", 16000);
    section.put("normalize", "per_feature");
    section.put("window_size", 0.02);
    section.put("window_stride", 0.01);
    section.put("window", "hann");
    section.put("features", 64);
    section.put("n_fft", 512);
    section.put("log", true);
    section.put("frame_splicing", 1);
    section.put("dither", "1e-5");
    section.put("pad_to", 16);
    section.put("pad_value", 0.0);
    MelConfig config = MelConfig.fromMap(section);
    assertThat(config.winLength()).isEqualTo(320);
    assertThat(config.features()).isEqualTo(64);
    assertThat(config.dither()).isEqualTo(1e-5);
    assertThat(config.padTo()).isEqualTo(16);
  }

  @Test
  void nullsMeanWhatNemoMakesOfThem() {
    Map<String, Object> section = new HashMap<>();
    section.put("sample_rate", 22050);
    section.put("n_fft", null);
    section.put("highfreq", null);
    section.put("normalize", null);
    section.put("preemph", null);
    section.put("mel_norm", null);
    section.put("log_zero_guard_value", "eps");
    MelConfig config = MelConfig.fromMap(section);
    // 0.025 s at 22.05 kHz is 551.25 samples: truncated as Python's int() does.
    assertThat(config.winLength()).isEqualTo(551);
    assertThat(config.hopLength()).isEqualTo(220);
    assertThat(config.nFft()).isEqualTo(1024);
    assertThat(config.highfreq()).isEqualTo(11025.0);
    assertThat(config.normalize()).isEqualTo("none");
    assertThat(config.preemph()).isZero();
    assertThat(config.melNorm()).isEqualTo("none");
    assertThat(config.logZeroGuardValue()).isEqualTo(Math.pow(2, -23));
  }

  @Test
  void frameCountsFollowNemosGetSeqLen() {
    MelConfig config = MelConfig.defaults();
    // floor((len + 2 * (512 / 2) - 512) / 160) + 1, and 0 for an empty input.
    assertThat(config.frames(0)).isZero();
    assertThat(config.frames(1)).isEqualTo(1);
    assertThat(config.frames(159)).isEqualTo(1);
    assertThat(config.frames(160)).isEqualTo(2);
    assertThat(config.frames(16000)).isEqualTo(101);
    assertThat(config.frames(16159)).isEqualTo(101);
    MelConfig odd = MelConfig.fromMap(Map.of("n_fft", 511, "window_size", 0.0125));
    // An odd n_fft pads 2 * 255 = 510 samples for 511, so one sample fewer makes a frame.
    assertThat(odd.frames(160)).isEqualTo(1);
    assertThat(odd.frames(161)).isEqualTo(2);
  }

  @Test
  void unknownKeyIsRejectedListingTheValidOnes() {
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("n_mels", 80)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read preprocessor config: unknown key 'n_mels'; valid keys: _target_, dither,"
                + " features, frame_splicing, highfreq, log, log_zero_guard_type,"
                + " log_zero_guard_value, lowfreq, mag_power, mel_norm, n_fft, normalize, pad_to,"
                + " pad_value, preemph, sample_rate, window, window_size, window_stride");
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("n_fft", 256)))
        .hasMessage(
            "Cannot read preprocessor config: n_fft 256 is shorter than the window (400 samples"
                + " at 16000 Hz)");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("features", "many")))
        .hasMessage("Cannot read preprocessor config: features must be a number, got 'many'");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("features", 80.5)))
        .hasMessage("Cannot read preprocessor config: features must be a whole number, got 80.5");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("normalize", "per_utterance")))
        .hasMessage(
            "Cannot read preprocessor config: normalize must be one of all_features, none,"
                + " per_feature, got 'per_utterance'");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("window", "kaiser")))
        .hasMessage(
            "Cannot read preprocessor config: window must be one of bartlett, blackman, hamming,"
                + " hann, none, got 'kaiser'");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("highfreq", 9000)))
        .hasMessage(
            "Cannot read preprocessor config: need 0 <= lowfreq < highfreq <= sample_rate / 2,"
                + " got lowfreq 0.0, highfreq 9000.0 at 16000 Hz");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("frame_splicing", 3)))
        .hasMessage(
            "Cannot read preprocessor config: frame_splicing 3 is not supported; only 1 (no"
                + " splicing)");
    assertThatThrownBy(() -> MelConfig.fromMap(Map.of("log", "yes")))
        .hasMessage("Cannot read preprocessor config: log must be true or false, got 'yes'");
    assertThatThrownBy(
            () -> MelConfig.fromMap(Map.of("_target_", "nemo.collections.asr.modules.Other")))
        .hasMessage(
            "Cannot read preprocessor config: _target_ must be AudioToMelSpectrogramPreprocessor,"
                + " got 'nemo.collections.asr.modules.Other'");
  }
}
