package io.nautilus.train.sched;

/**
 * Linear warmup, then a half cosine from the base rate down to {@code minLr} at {@code maxSteps},
 * then {@code minLr}.
 *
 * <p>Without {@code constantSteps}: {@code lr = (baseLr - minLr) * 0.5 * (1 + cos(pi * s / T)) +
 * minLr} with {@code s = step - warmupSteps} and {@code T = maxSteps - warmupSteps}, after NeMo's
 * usual warmup {@code baseLr * (step + 1) / (warmupSteps + 1)}.
 *
 * <p>With {@code constantSteps > 0} NeMo switches to Megatron's variant, and so does this record:
 * warmup is {@code baseLr * step / warmupSteps} (0 at step 0), the cosine runs over the {@code
 * maxSteps - warmupSteps - constantSteps} steps after warmup, and the last {@code constantSteps}
 * steps stay at {@code minLr}.
 *
 * @param baseLr the optimizer's {@code lr}; not below {@code minLr}, and above it when {@code
 *     constantSteps > 0}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param constantSteps steps at {@code minLr} at the end of training; 0 for none
 * @param maxSteps the step at which the rate reaches {@code minLr}
 * @param minLr the end rate
 */
public record CosineAnnealing(
    double baseLr, long warmupSteps, long constantSteps, long maxSteps, double minLr)
    implements LrSchedule {
  private static final String NAME = "CosineAnnealing";

  public CosineAnnealing {
    Phases.checkLr(NAME, "lr", baseLr);
    Phases.checkSteps(NAME, "warmup_steps", warmupSteps);
    Phases.checkSteps(NAME, "constant_steps", constantSteps);
    Phases.checkMaxSteps(NAME, maxSteps);
    Phases.checkLr(NAME, "min_lr", minLr);
    Phases.checkMinLrNotAboveBase(NAME, baseLr, minLr);
    if (constantSteps > 0) {
      // Megatron's variant asserts a strictly higher base rate and divides by the decay length.
      if (baseLr == minLr) {
        throw new IllegalArgumentException(
            "Cannot create CosineAnnealing: with constant_steps the base lr must be above min_lr,"
                + " both are "
                + minLr);
      }
      if (maxSteps - warmupSteps - constantSteps <= 0) {
        throw new IllegalArgumentException(
            "Cannot create CosineAnnealing: warmup_steps "
                + warmupSteps
                + " + constant_steps "
                + constantSteps
                + " leave no step to decay in max_steps "
                + maxSteps);
      }
    }
  }

  @Override
  public double lr(long step) {
    Phases.checkStep(step);
    return constantSteps == 0 ? nemoLr(step) : megatronLr(step);
  }

  private double nemoLr(long step) {
    if (Phases.warmingUp(step, warmupSteps)) {
      return Phases.warmupLr(baseLr, step, warmupSteps);
    }
    if (step > maxSteps) {
      return minLr;
    }
    long annealSteps = maxSteps - warmupSteps;
    double multiplier = 0.5 * (1 + Math.cos(Math.PI * (step - warmupSteps) / annealSteps));
    return (baseLr - minLr) * multiplier + minLr;
  }

  private double megatronLr(long step) {
    if (warmupSteps > 0 && step <= warmupSteps) {
      return baseLr * step / warmupSteps;
    }
    long decaySteps = maxSteps - warmupSteps - constantSteps;
    if (step > warmupSteps + decaySteps) {
      return minLr;
    }
    double decayRatio = (double) (step - warmupSteps) / decaySteps;
    double coefficient = 0.5 * (Math.cos(Math.PI * decayRatio) + 1.0);
    return minLr + coefficient * (baseLr - minLr);
  }
}
