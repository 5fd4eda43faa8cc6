package io.nautilus.asr.features;

import io.nautilus.audio.dsp.Resampler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Speed perturbation as NeMo's {@code SpeedPerturbation} does it: pick a rate, resample the
 * waveform from {@code sr} to {@code int(sr * rate)} with the band-limited {@link Resampler}, and
 * keep calling the result {@code sr}. NeMo's rate is a sampling-rate modifier, so rate 1.1 makes
 * the utterance 10% longer (slower and lower); 0.9 makes it shorter. Rate 1.0 returns the samples
 * unchanged.
 *
 * <p>With {@code numRates > 0} the rate is one of {@code numRates} evenly spaced values from {@code
 * minRate} to {@code maxRate} inclusive (numpy's {@code linspace}); with {@code numRates < 0} it is
 * uniform in {@code [minRate, maxRate)}. The choice comes from the call's seed. Instances are
 * immutable and thread-safe.
 */
public final class SpeedPerturb {
  private final int sampleRate;
  private final double minRate;
  private final double maxRate;
  private final List<Double> rates;

  /**
   * @param sampleRate rate of the audio, Hz
   * @param numRates discrete rates ({@code > 0}), or {@code < 0} for a uniform rate
   */
  public SpeedPerturb(int sampleRate, double minRate, double maxRate, int numRates) {
    if (sampleRate <= 0 || !(minRate > 0) || !(maxRate >= minRate) || numRates == 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create speed perturbation: need sample_rate > 0, 0 < min_speed_rate <="
                  + " max_speed_rate and num_rates != 0, got %d, %s, %s, %d",
              sampleRate, minRate, maxRate, numRates));
    }
    if ((int) (sampleRate * minRate) < 1) {
      throw new IllegalArgumentException(
          "Cannot create speed perturbation: min_speed_rate " + minRate + " leaves no samples");
    }
    this.sampleRate = sampleRate;
    this.minRate = minRate;
    this.maxRate = maxRate;
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < numRates; i++) {
      values.add(
          i == numRates - 1 ? maxRate : minRate + i * ((maxRate - minRate) / (numRates - 1)));
    }
    this.rates = List.copyOf(values);
  }

  /** NeMo's reference: 5 rates from 0.9 to 1.1. */
  public static SpeedPerturb reference(int sampleRate) {
    return new SpeedPerturb(sampleRate, 0.9, 1.1, 5);
  }

  /** The discrete rates; empty when the rate is uniform. */
  public List<Double> rates() {
    return rates;
  }

  /** The rate drawn for {@code seed}. */
  public double rate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return rates.isEmpty()
        ? (minRate == maxRate ? minRate : random.nextDouble(minRate, maxRate))
        : rates.get(random.nextInt(rates.size()));
  }

  /** The samples perturbed at the rate drawn for {@code seed}. */
  public float[] apply(float[] samples, long seed) {
    return perturb(samples, sampleRate, rate(seed));
  }

  /** The samples resampled from {@code sampleRate} to {@code int(sampleRate * rate)}. */
  public static float[] perturb(float[] samples, int sampleRate, double rate) {
    if (rate == 1.0) {
      return samples.clone();
    }
    return Resampler.of(sampleRate, (int) (sampleRate * rate)).resample(samples);
  }
}
