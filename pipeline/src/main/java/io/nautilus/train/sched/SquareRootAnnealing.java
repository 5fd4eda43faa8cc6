package io.nautilus.train.sched;

/**
 * Linear warmup, then {@code baseLr * sqrt((maxSteps - step) / maxSteps)}, never below {@code
 * minLr}; {@code minLr} after {@code maxSteps}.
 *
 * <p>Unlike NeMo's other decays, this one counts from step 0, not from the end of warmup (NeMo does
 * the same), so with warmup the rate drops at once from the base rate at step {@code warmupSteps}
 * to {@code baseLr * sqrt((maxSteps - warmupSteps - 1) / maxSteps)}.
 *
 * @param baseLr the optimizer's {@code lr}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param maxSteps the step at which the decay reaches 0 (so {@code minLr})
 * @param minLr the floor of the decay and the rate after {@code maxSteps}
 */
public record SquareRootAnnealing(double baseLr, long warmupSteps, long maxSteps, double minLr)
    implements LrSchedule {
  public SquareRootAnnealing {
    Phases.checkLr("SquareRootAnnealing", "lr", baseLr);
    Phases.checkSteps("SquareRootAnnealing", "warmup_steps", warmupSteps);
    Phases.checkMaxSteps("SquareRootAnnealing", maxSteps);
    Phases.checkLr("SquareRootAnnealing", "min_lr", minLr);
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
    double multiplier = Math.pow((double) (maxSteps - step) / maxSteps, 0.5);
    return Math.max(baseLr * multiplier, minLr);
  }
}
