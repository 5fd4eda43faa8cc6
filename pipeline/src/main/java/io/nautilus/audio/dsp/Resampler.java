package io.nautilus.audio.dsp;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Band-limited sample-rate conversion between any two integer rates, with a polyphase
 * Kaiser-windowed sinc filter.
 *
 * <p>The filter keeps frequencies up to 91% of the lower Nyquist frequency flat (ripple about 1e-5)
 * and attenuates everything from that Nyquist frequency up by about 100 dB, so content the new rate
 * cannot hold is removed rather than aliased. It is linear-phase and centred: output frame {@code
 * n} is the band-limited input evaluated at input time {@code n * inRate / outRate}, so the first
 * output frame sits on the first input frame and nothing is delayed. Input outside the signal
 * counts as zero.
 *
 * <p>The output has {@code ceil(inputFrames * outRate / inRate)} frames, computed exactly in
 * integers: the length librosa's {@code resample} (and so NeMo's {@code AudioSegment}) and
 * torchaudio give. (sox rounds to the nearest instead, so it may give one frame fewer.) Equal rates
 * copy the samples unchanged.
 *
 * <p>Instances are immutable and thread-safe; {@link #of} caches the filter bank per reduced rate
 * ratio, so the design cost is paid once per ratio and JVM.
 */
public final class Resampler {

  /** The largest input-to-output rate ratio; the filter's length grows with it. */
  public static final int MAX_DOWNSAMPLING = 256;

  /** Distinct ratios cached; past this, banks are built per call (only odd data gets here). */
  private static final int MAX_CACHED_RATIOS = 64;

  private static final ConcurrentMap<Long, FilterBank> BANKS = new ConcurrentHashMap<>();

  private final int inRate;
  private final int outRate;
  private final FilterBank bank;

  private Resampler(int inRate, int outRate, FilterBank bank) {
    this.inRate = inRate;
    this.outRate = outRate;
    this.bank = bank;
  }

  /**
   * A resampler from {@code inRate} to {@code outRate} frames per second.
   *
   * @throws IllegalArgumentException if a rate is not positive, or {@code inRate} is more than
   *     {@link #MAX_DOWNSAMPLING} times {@code outRate}
   */
  public static Resampler of(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot resample from %d Hz to %d Hz: rates must be positive", inRate, outRate));
    }
    if ((long) inRate > (long) MAX_DOWNSAMPLING * outRate) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot resample from %d Hz to %d Hz: at most %d times down",
              inRate, outRate, MAX_DOWNSAMPLING));
    }
    int gcd = gcd(inRate, outRate);
    int up = outRate / gcd;
    int down = inRate / gcd;
    return new Resampler(inRate, outRate, up == down ? null : bank(up, down));
  }

  private static FilterBank bank(int up, int down) {
    Long key = ((long) up << 32) | down;
    FilterBank cached = BANKS.get(key);
    if (cached != null) {
      return cached;
    }
    if (BANKS.size() >= MAX_CACHED_RATIOS) {
      return FilterBank.design(up, down);
    }
    return BANKS.computeIfAbsent(key, k -> FilterBank.design(up, down));
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  /** Input samples each output sample is computed from (0 when the rates are equal). */
  public int taps() {
    return bank == null ? 0 : bank.taps;
  }

  /** {@code ceil(inputFrames * outRate / inRate)}, exactly. */
  public long outputFrames(long inputFrames) {
    if (inputFrames < 0) {
      throw new IllegalArgumentException(
          "Cannot count output frames: input frames must not be negative, got " + inputFrames);
    }
    return bank == null ? inputFrames : outputFrames(inputFrames, bank.up, bank.down);
  }

  static long outputFrames(long inputFrames, int up, int down) {
    return Math.addExact(Math.multiplyExact(inputFrames, up), down - 1) / down;
  }

  /**
   * Resamples one channel. Equal rates return a copy.
   *
   * @throws IllegalArgumentException if the output would not fit an array
   */
  public float[] resample(float[] samples) {
    Objects.requireNonNull(samples, "samples is null");
    long frames = outputFrames(samples.length);
    if (frames > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot resample %d frames from %d Hz to %d Hz: %d output frames do not fit an array",
              samples.length, inRate, outRate, frames));
    }
    float[] out = new float[(int) frames];
    ResamplerStream stream = newStream();
    int at = stream.feed(samples, 0, samples.length, out, 0);
    stream.finishInto(out, at);
    return out;
  }

  /**
   * Resamples each channel of {@code [channel][frame]} samples.
   *
   * @throws IllegalArgumentException if the channels differ in length
   */
  public float[][] resample(float[][] channels) {
    Objects.requireNonNull(channels, "channels is null");
    float[][] out = new float[channels.length][];
    for (int c = 0; c < channels.length; c++) {
      Objects.requireNonNull(channels[c], "channels[" + c + "] is null");
      if (channels[c].length != channels[0].length) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot resample: channel %d has %d frames, channel 0 has %d",
                c, channels[c].length, channels[0].length));
      }
      out[c] = resample(channels[c]);
    }
    return out;
  }

  /** A stream for one channel fed block by block. */
  public ResamplerStream newStream() {
    return new ResamplerStream(bank);
  }

  @Override
  public String toString() {
    return "Resampler[" + inRate + " Hz -> " + outRate + " Hz, " + taps() + " taps]";
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
