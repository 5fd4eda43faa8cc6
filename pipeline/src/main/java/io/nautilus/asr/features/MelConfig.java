package io.nautilus.asr.features;

import io.nautilus.config.ArgMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting of NeMo's {@code AudioToMelSpectrogramPreprocessor} that the front end honours,
 * with NeMo's defaults (the class defaults where the reference config is silent).
 *
 * @param sampleRate {@code sample_rate}, Hz
 * @param windowSize {@code window_size}, seconds
 * @param windowStride {@code window_stride}, seconds
 * @param nFft {@code n_fft}; null in the config means the next power of two above the window
 * @param features {@code features}: mel bands
 * @param window {@code window}: hann, hamming, blackman, bartlett or none, symmetric as NeMo builds
 *     them ({@code periodic=False})
 * @param normalize {@code normalize}: per_feature, all_features or none (null in the config)
 * @param dither {@code dither}: standard deviation of the Gaussian noise added when training
 * @param preemph {@code preemph}: pre-emphasis coefficient; null in the config means 0 (none)
 * @param log {@code log}: take the log of the mel power
 * @param logZeroGuardType {@code log_zero_guard_type}: add or clamp
 * @param logZeroGuardValue {@code log_zero_guard_value}: a number, or tiny / eps of float32
 * @param magPower {@code mag_power}: exponent of the STFT magnitude
 * @param lowfreq {@code lowfreq}: lowest mel edge, Hz
 * @param highfreq {@code highfreq}: highest mel edge, Hz; null or 0 in the config means sr / 2
 * @param melNorm {@code mel_norm}: slaney (area normalisation) or none (null in the config)
 * @param padTo {@code pad_to}: pad the frame axis to a multiple of this; 0 = no padding (NeMo's
 *     class default is 16, its ASR configs say 0)
 * @param padValue {@code pad_value}: the value of frames past an utterance's end
 */
public record MelConfig(
    int sampleRate,
    double windowSize,
    double windowStride,
    int nFft,
    int features,
    String window,
    String normalize,
    double dither,
    double preemph,
    boolean log,
    String logZeroGuardType,
    double logZeroGuardValue,
    double magPower,
    double lowfreq,
    double highfreq,
    String melNorm,
    int padTo,
    double padValue) {

  /** The keys {@link #fromMap} reads; {@code _target_} is NeMo's class name and is checked. */
  public static final List<String> KEYS =
      List.of(
          "_target_",
          "dither",
          "features",
          "frame_splicing",
          "highfreq",
          "log",
          "log_zero_guard_type",
          "log_zero_guard_value",
          "lowfreq",
          "mag_power",
          "mel_norm",
          "n_fft",
          "normalize",
          "pad_to",
          "pad_value",
          "preemph",
          "sample_rate",
          "window",
          "window_size",
          "window_stride");

  private static final String ACTION = "read preprocessor config";
  private static final String PREFIX = "Cannot " + ACTION + ": ";

  static final Set<String> WINDOWS = Set.of("hann", "hamming", "blackman", "bartlett", "none");
  static final Set<String> NORMALIZE = Set.of("per_feature", "all_features", "none");

  public MelConfig {
    require(sampleRate > 0, "sample_rate must be positive, got " + sampleRate);
    require(
        windowSize > 0 && windowStride > 0,
        "window_size and window_stride must be positive, got " + windowSize + ", " + windowStride);
    int win = samples(windowSize, sampleRate);
    int hop = samples(windowStride, sampleRate);
    require(
        win >= 1 && hop >= 1,
        "window_size "
            + windowSize
            + " s and window_stride "
            + windowStride
            + " s must each hold at least one sample at "
            + sampleRate
            + " Hz");
    require(
        nFft >= win,
        "n_fft "
            + nFft
            + " is shorter than the window ("
            + win
            + " samples at "
            + sampleRate
            + " Hz)");
    require(features > 0, "features must be positive, got " + features);
    require(
        WINDOWS.contains(window),
        "window must be one of " + sorted(WINDOWS) + ", got '" + window + "'");
    require(
        NORMALIZE.contains(normalize),
        "normalize must be one of " + sorted(NORMALIZE) + ", got '" + normalize + "'");
    require(dither >= 0 && Double.isFinite(dither), "dither must be >= 0, got " + dither);
    require(Double.isFinite(preemph), "preemph must be finite, got " + preemph);
    require(
        logZeroGuardType.equals("add") || logZeroGuardType.equals("clamp"),
        "log_zero_guard_type must be add or clamp, got '" + logZeroGuardType + "'");
    require(
        logZeroGuardValue > 0 && Double.isFinite(logZeroGuardValue),
        "log_zero_guard_value must be positive, got " + logZeroGuardValue);
    require(
        magPower > 0 && Double.isFinite(magPower), "mag_power must be positive, got " + magPower);
    require(
        lowfreq >= 0 && lowfreq < highfreq && highfreq <= sampleRate / 2.0,
        "need 0 <= lowfreq < highfreq <= sample_rate / 2, got lowfreq "
            + lowfreq
            + ", highfreq "
            + highfreq
            + " at "
            + sampleRate
            + " Hz");
    require(
        melNorm.equals("slaney") || melNorm.equals("none"),
        "mel_norm must be slaney or none, got '" + melNorm + "'");
    require(padTo >= 0, "pad_to must be >= 0, got " + padTo);
    require(Double.isFinite(padValue), "pad_value must be finite, got " + padValue);
  }

  /** The reference ASR config: 16 kHz, 25 ms / 10 ms, n_fft 512, 80 mels, per-feature norm. */
  public static MelConfig defaults() {
    return fromMap(Map.of());
  }

  /**
   * Reads a {@code preprocessor} section; absent keys take NeMo's defaults.
   *
   * @throws IllegalArgumentException for an unknown key or a bad value, naming it
   */
  public static MelConfig fromMap(Map<String, ?> section) {
    ArgMap args = ArgMap.of(ACTION, section);
    args.rejectUnknown(KEYS);
    String target = args.string("_target_", null);
    if (target != null && !target.endsWith("AudioToMelSpectrogramPreprocessor")) {
      throw args.error("_target_ must be AudioToMelSpectrogramPreprocessor, got '" + target + "'");
    }
    int splicing = args.integer("frame_splicing", 1);
    if (splicing != 1) {
      throw args.error("frame_splicing " + splicing + " is not supported; only 1 (no splicing)");
    }
    int sampleRate = args.integer("sample_rate", 16000);
    double windowSize = args.decimal("window_size", 0.025);
    double windowStride = args.decimal("window_stride", 0.01);
    int nFft =
        args.has("n_fft")
            ? args.integer("n_fft", 0)
            : nextPowerOfTwo(Math.max(1, samples(windowSize, sampleRate)));
    double highfreq = args.decimal("highfreq", 0);
    return new MelConfig(
        sampleRate,
        windowSize,
        windowStride,
        nFft,
        args.integer("features", 80),
        args.string("window", "hann"),
        args.present("normalize") ? args.string("normalize", "none") : "per_feature",
        args.decimal("dither", 1e-5),
        args.present("preemph") ? args.decimal("preemph", 0) : 0.97,
        args.bool("log", true),
        args.string("log_zero_guard_type", "add"),
        guardValue(args),
        args.decimal("mag_power", 2.0),
        args.decimal("lowfreq", 0),
        highfreq == 0 ? sampleRate / 2.0 : highfreq,
        args.present("mel_norm") ? args.string("mel_norm", "none") : "slaney",
        args.integer("pad_to", 0),
        args.decimal("pad_value", 0));
  }

  /** Samples per window: NeMo truncates {@code window_size * sample_rate} with {@code int()}. */
  public int winLength() {
    return samples(windowSize, sampleRate);
  }

  /** Samples per hop, truncated as NeMo does. */
  public int hopLength() {
    return samples(windowStride, sampleRate);
  }

  /**
   * Valid frames for {@code samples} input samples, as NeMo's {@code get_seq_len} with a centred
   * STFT: {@code floor((len + 2 * (n_fft / 2) - n_fft) / hop) + 1}, and 0 for an empty input.
   */
  public int frames(int samples) {
    if (samples < 0) {
      throw new IllegalArgumentException(
          "Cannot count frames: length must be >= 0, got " + samples);
    }
    if (samples == 0) {
      return 0;
    }
    return Math.floorDiv(samples + 2 * (nFft / 2) - nFft, hopLength()) + 1;
  }

  private static double guardValue(ArgMap args) {
    Object value = args.raw("log_zero_guard_value");
    if ("tiny".equals(value)) {
      return Float.MIN_NORMAL;
    }
    if ("eps".equals(value)) {
      return Math.ulp(1f);
    }
    return args.decimal("log_zero_guard_value", Math.pow(2, -24));
  }

  private static int samples(double seconds, int sampleRate) {
    return (int) (seconds * sampleRate);
  }

  private static int nextPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  private static String sorted(Set<String> names) {
    return String.join(", ", new TreeSet<>(names));
  }

  private static void require(boolean condition, String reason) {
    if (!condition) {
      throw new IllegalArgumentException(PREFIX + reason);
    }
  }
}
