package io.nautilus.asr.features;

/**
 * Analysis windows as NeMo builds them: torch's window functions with {@code periodic=False}
 * (symmetric), centred in an {@code n_fft}-long frame with zeros either side as {@code torch.stft}
 * pads a window shorter than {@code n_fft}.
 */
final class Windows {
  private Windows() {}

  static float[] padded(String name, int winLength, int nFft) {
    float[] frame = new float[nFft];
    int left = (nFft - winLength) / 2;
    for (int n = 0; n < winLength; n++) {
      frame[left + n] = (float) value(name, n, winLength);
    }
    return frame;
  }

  static double value(String name, int n, int length) {
    if (length == 1 || name.equals("none")) {
      return 1.0;
    }
    double phase = 2 * Math.PI * n / (length - 1);
    return switch (name) {
      case "hann" -> 0.5 - 0.5 * Math.cos(phase);
      case "hamming" -> 0.54 - 0.46 * Math.cos(phase);
      case "blackman" -> 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
      case "bartlett" -> 1 - Math.abs(2.0 * n / (length - 1) - 1);
      default ->
          throw new IllegalArgumentException("Cannot build window: unknown window '" + name + "'");
    };
  }
}
