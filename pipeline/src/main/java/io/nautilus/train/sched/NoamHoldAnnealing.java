package io.nautilus.train.sched;

/**
 * Squeezeformer's schedule: linear warmup to the base rate, the base rate held for {@code
 * holdSteps}, then {@code baseLr * max(1, warmupSteps^decayRate) / max(1, (step -
 * holdSteps)^decayRate)}, never below {@code minLr}; {@code minLr} after {@code maxSteps}.
 *
 * <p>Unlike {@link NoamAnnealing}, {@code baseLr} is the peak. A {@code decayRate} of 0.5 gives
 * Noam's {@code 1/sqrt} decay; Squeezeformer recommends 1.0.
 *
 * @param baseLr the optimizer's {@code lr}, the peak rate
 * @param warmupSteps steps of linear warmup; NeMo requires at least one
 * @param holdSteps steps at the base rate after warmup (the config's {@code hold_steps})
 * @param decayRate the exponent of the decay (the config's {@code decay_rate}, default 0.5)
 * @param maxSteps the last step of the decay
 * @param minLr the floor of the decay and the rate after {@code maxSteps}
 */
public record NoamHoldAnnealing(
    double baseLr, long warmupSteps, long holdSteps, double decayRate, long maxSteps, double minLr)
    implements LrSchedule {
  /** NeMo's default {@code decay_rate}: Noam's inverse square root. */
  public static final double DEFAULT_DECAY_RATE = 0.5;

  private static final String NAME = "NoamHoldAnnealing";

  public NoamHoldAnnealing {
    Phases.checkLr(NAME, "lr", baseLr);
    if (warmupSteps <= 0) {
      throw new IllegalArgumentException(
          "Cannot create NoamHoldAnnealing: it needs warmup (warmup_steps or warmup_ratio giving"
              + " at least 1 step), got warmup_steps "
              + warmupSteps);
    }
    Phases.checkSteps(NAME, "hold_steps", holdSteps);
    if (!Double.isFinite(decayRate) || decayRate < 0) {
      throw new IllegalArgumentException(
          "Cannot create NoamHoldAnnealing: decay_rate must be a finite number >= 0, got "
              + decayRate);
    }
    Phases.checkMaxSteps(NAME, maxSteps);
    Phases.checkLr(NAME, "min_lr", minLr);
  }

  @Override
  public double lr(long step) {
    Phases.checkStep(step);
    if (Phases.warmingUp(step, warmupSteps)) {
      return Phases.warmupLr(baseLr, step, warmupSteps);
    }
    if (step < warmupSteps + holdSteps) {
      return baseLr;
    }
    if (step > maxSteps) {
      return minLr;
    }
    // NeMo subtracts only the hold length here, so the decay starts from warmupSteps^rate and
    // joins the held rate without a jump.
    double warmupDecay = Math.max(1, Math.pow(warmupSteps, decayRate));
    double holdDecay = Math.max(1, Math.pow(step - holdSteps, decayRate));
    return Math.max(baseLr * warmupDecay / holdDecay, minLr);
  }
}
