package io.nautilus.train.sched;

/**
 * Linear warmup, then {@code (baseLr - minLr) * (1 - p)^power + minLr} with {@code p = (step -
 * warmupSteps) / (maxSteps - warmupSteps)}, then {@code minLr} after {@code maxSteps}.
 *
 * <p>{@code cycle} is NeMo's flag to restart the decay with a longer period once it ends. NeMo
 * returns {@code min_lr} for every step past {@code max_steps} before the decay is consulted, so
 * the flag never changes a rate there; this record keeps that behaviour and the flag for config
 * compatibility.
 *
 * @param baseLr the optimizer's {@code lr}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param maxSteps the step at which the decay reaches {@code minLr}
 * @param minLr the end rate
 * @param power the exponent of the decay (the config's {@code power}, default 1.0: linear)
 * @param cycle the config's {@code cycle}
 */
public record PolynomialDecayAnnealing(
    double baseLr, long warmupSteps, long maxSteps, double minLr, double power, boolean cycle)
    implements LrSchedule {
  /** NeMo's default {@code power}: a straight line. */
  public static final double DEFAULT_POWER = 1.0;

  private static final String NAME = "PolynomialDecayAnnealing";

  public PolynomialDecayAnnealing {
    Phases.checkLr(NAME, "lr", baseLr);
    Phases.checkSteps(NAME, "warmup_steps", warmupSteps);
    Phases.checkMaxSteps(NAME, maxSteps);
    Phases.checkLr(NAME, "min_lr", minLr);
    if (!Double.isFinite(power) || power < 0) {
      throw new IllegalArgumentException(
          "Cannot create PolynomialDecayAnnealing: power must be a finite number >= 0, got "
              + power);
    }
  }

  @Override
  public double lr(long step) {
    Phases.checkStep(step);
    if (Phases.warmingUp(step, warmupSteps)) {
      return Phases.warmupLr(baseLr, step, warmupSteps);
    }
    if (step > maxSteps) {
      return minLr;
    }
    long decayStep = step - warmupSteps;
    double decaySteps = maxSteps - warmupSteps;
    if (cycle) {
      double periods = decayStep == 0 ? 1.0 : Math.ceil(decayStep / decaySteps);
      decaySteps *= periods;
    } else {
      decayStep = Math.min(decayStep, (long) decaySteps);
    }
    double p = decayStep / decaySteps;
    return (baseLr - minLr) * Math.pow(1.0 - p, power) + minLr;
  }
}
