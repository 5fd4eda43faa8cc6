package io.nautilus.asr.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Log-mel features in the order of NeMo's {@code FilterbankFeatures}, written in {@code NDArray}
 * ops so they run wherever the audio lives:
 *
 * <ol>
 *   <li>dither (training only): Gaussian noise of standard deviation {@code dither} on the valid
 *       samples, drawn in Java from the call's seed so it does not depend on the engine's global
 *       random state;
 *   <li>pre-emphasis {@code y[t] = x[t] - preemph * x[t-1]}, the first sample kept; samples past
 *       each utterance's length are then zeroed, as NeMo does, so batch padding never leaks into
 *       the last frames;
 *   <li>STFT centred with zero padding of {@code n_fft / 2} each side ({@code center=True,
 *       pad_mode="constant"}), a symmetric window of {@code win_length} samples centred in {@code
 *       n_fft};
 *   <li>{@code |X| ^ mag_power} (NeMo takes the square root and then the power);
 *   <li>Slaney mel filter bank;
 *   <li>{@code log(x + guard)} (or {@code log(max(x, guard))} with {@code clamp});
 *   <li>normalisation over each utterance's valid frames: mean and unbiased standard deviation,
 *       {@code std += 1e-5};
 *   <li>frames past each utterance's frame count set to {@code pad_value} (0), then the frame axis
 *       padded with it to a multiple of {@code pad_to}.
 * </ol>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MelFrontEnd {
  /** NeMo's {@code CONSTANT}: added to the standard deviation so silence does not divide by 0. */
  static final float STD_GUARD = 1e-5f;

  private final MelConfig config;
  private final float[] window;
  private final float[] filterBank;

  public MelFrontEnd(MelConfig config) {
    this.config = Objects.requireNonNull(config, "config is null");
    this.window = Windows.padded(config.window(), config.winLength(), config.nFft());
    float[][] bank =
        MelFilterBank.slaney(
            config.sampleRate(),
            config.nFft(),
            config.features(),
            config.lowfreq(),
            config.highfreq(),
            config.melNorm().equals("slaney"));
    int bins = config.nFft() / 2 + 1;
    this.filterBank = new float[bank.length * bins];
    for (int m = 0; m < bank.length; m++) {
      System.arraycopy(bank[m], 0, filterBank, m * bins, bins);
    }
  }

  public MelConfig config() {
    return config;
  }

  /** Valid frames per utterance for these sample counts ({@link MelConfig#frames}). */
  public int[] frameLengths(int[] lengths) {
    return Arrays.stream(lengths).map(config::frames).toArray();
  }

  /**
   * Normalised log-mel features of a batch.
   *
   * @param audio {@code (batch, samples)} waveforms at {@code sample_rate}, padded at the end
   * @param lengths valid samples of each row
   * @param training add dither (NeMo dithers in training mode only)
   * @param seed seed of the dither noise
   * @return features {@code (batch, features, frames)} owned by {@code audio}'s manager
   */
  public Features compute(NDArray audio, int[] lengths, boolean training, long seed) {
    int[] frames = frameLengths(checkBatch(audio, lengths));
    NDManager parent = audio.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray x = melPowerIn(scope, audio, lengths, training, seed);
      if (config.log()) {
        float guard = (float) config.logZeroGuardValue();
        x = config.logZeroGuardType().equals("add") ? x.add(guard).log() : x.maximum(guard).log();
      }
      NDArray valid = validFrames(scope, frames, x.getShape().get(2));
      x = normalize(x, valid, frames);
      float padValue = (float) config.padValue();
      // Adding the fill even when it is 0 turns the -0.0 of negative features times 0 into 0.0.
      x = x.mul(valid).add(valid.sub(1f).mul(-padValue));
      long total = x.getShape().get(2);
      if (config.padTo() > 0 && total % config.padTo() != 0) {
        x = x.pad(new Shape(0, config.padTo() - total % config.padTo()), padValue);
      }
      x.attach(parent);
      return new Features(x, frames);
    }
  }

  /**
   * The mel power before the log, {@code (batch, features, frames)}, for every frame the padded
   * batch has (frames past an utterance's count are not masked); owned by {@code audio}'s manager.
   */
  public NDArray melPower(NDArray audio, int[] lengths, boolean training, long seed) {
    checkBatch(audio, lengths);
    NDManager parent = audio.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray power = melPowerIn(scope, audio, lengths, training, seed);
      power.attach(parent);
      return power;
    }
  }

  private NDArray melPowerIn(
      NDManager scope, NDArray audio, int[] lengths, boolean training, long seed) {
    int batch = lengths.length;
    int samples = (int) audio.getShape().get(1);
    NDArray x = audio.toType(DataType.FLOAT32, true);
    x.attach(scope);
    if (training && config.dither() > 0) {
      x = x.add(scope.create(dither(lengths, samples, seed), new Shape(batch, samples)));
    }
    if (config.preemph() != 0 && samples > 1) {
      NDArray emphasised = x.get(":, 1:").sub(x.get(":, :-1").mul((float) config.preemph()));
      x = x.get(":, :1").concat(emphasised, 1);
    }
    NDArray inside =
        scope
            .arange(0f, (float) samples)
            .reshape(1, samples)
            .lt(scope.create(floats(lengths)).reshape(batch, 1));
    x = x.mul(inside.toType(DataType.FLOAT32, false));
    int nFft = config.nFft();
    // Centre by hand: NDArray.stft(center=true) takes torch's default reflect padding, NeMo zeros.
    x = x.pad(new Shape(nFft / 2, nFft / 2), 0);
    NDArray spectrum =
        x.stft(nFft, config.hopLength(), false, scope.create(window), false, true).real();
    NDArray magnitude = spectrum.square().sum(new int[] {-1}).sqrt();
    NDArray power = config.magPower() == 1.0 ? magnitude : magnitude.pow((float) config.magPower());
    int bins = nFft / 2 + 1;
    NDArray bank = scope.create(filterBank, new Shape(config.features(), bins));
    return bank.matMul(power);
  }

  private float[] dither(int[] lengths, int samples, long seed) {
    float[] noise = new float[lengths.length * samples];
    SplittableRandom root = new SplittableRandom(seed);
    for (int b = 0; b < lengths.length; b++) {
      // One stream per row, so a row's noise does not depend on how long the others are.
      SplittableRandom row = root.split();
      for (int t = 0; t < lengths[b]; t++) {
        noise[b * samples + t] = (float) (config.dither() * row.nextGaussian());
      }
    }
    return noise;
  }

  private static NDArray validFrames(NDManager scope, int[] frames, long total) {
    return scope
        .arange(0f, (float) total)
        .reshape(1, 1, total)
        .lt(scope.create(floats(frames)).reshape(frames.length, 1, 1))
        .toType(DataType.FLOAT32, false);
  }

  private NDArray normalize(NDArray x, NDArray valid, int[] frames) {
    NDManager scope = x.getManager();
    int batch = frames.length;
    switch (config.normalize()) {
      case "per_feature" -> {
        for (int b = 0; b < batch; b++) {
          if (frames[b] == 1) {
            throw new IllegalArgumentException(
                "Cannot normalize per_feature: utterance "
                    + b
                    + " has a single frame, whose unbiased standard deviation is undefined");
          }
        }
        NDArray count = scope.create(counts(frames, 1, 0)).reshape(batch, 1, 1);
        NDArray less = scope.create(counts(frames, 1, 1)).reshape(batch, 1, 1);
        NDArray mean = x.mul(valid).sum(new int[] {2}, true).div(count);
        NDArray centred = x.sub(mean).mul(valid);
        NDArray std = centred.square().sum(new int[] {2}, true).div(less).sqrt().add(STD_GUARD);
        return x.sub(mean).div(std);
      }
      case "all_features" -> {
        int bands = config.features();
        NDArray count = scope.create(counts(frames, bands, 0)).reshape(batch, 1, 1);
        NDArray less = scope.create(counts(frames, bands, 1)).reshape(batch, 1, 1);
        NDArray mean = x.mul(valid).sum(new int[] {1, 2}, true).div(count);
        NDArray centred = x.sub(mean).mul(valid);
        NDArray std = centred.square().sum(new int[] {1, 2}, true).div(less).sqrt().add(STD_GUARD);
        return x.sub(mean).div(std);
      }
      default -> {
        return x;
      }
    }
  }

  private static float[] floats(int[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** {@code n * per - minus}, at least 1 so empty utterances give 0 rather than NaN. */
  private static float[] counts(int[] n, int per, int minus) {
    float[] counts = new float[n.length];
    for (int b = 0; b < n.length; b++) {
      counts[b] = Math.max(1, (float) n[b] * per - minus);
    }
    return counts;
  }

  private static int[] checkBatch(NDArray audio, int[] lengths) {
    Shape shape = audio.getShape();
    if (shape.dimension() != 2 || shape.get(1) < 1) {
      throw new IllegalArgumentException(
          "Cannot compute features: audio must be (batch, samples) with samples >= 1, got "
              + shape);
    }
    if (lengths.length != shape.get(0)) {
      throw new IllegalArgumentException(
          "Cannot compute features: " + lengths.length + " lengths for a batch of " + shape.get(0));
    }
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] < 0 || lengths[b] > shape.get(1)) {
        throw new IllegalArgumentException(
            "Cannot compute features: length "
                + lengths[b]
                + " of utterance "
                + b
                + " is outside 0.."
                + shape.get(1));
      }
    }
    return lengths;
  }
}
