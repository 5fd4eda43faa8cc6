package io.nautilus.train.sched;

/**
 * Linear warmup to the base rate, then the base rate until {@code maxSteps}, then {@code minLr}.
 *
 * @param baseLr the optimizer's {@code lr}, reached at step {@code warmupSteps}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param maxSteps the last step before the rate drops to {@code minLr}; 0 or less when training has
 *     no known end (NeMo's {@code max_steps=None}), so the rate never drops
 * @param minLr the rate after {@code maxSteps}
 */
public record WarmupPolicy(double baseLr, long warmupSteps, long maxSteps, double minLr)
    implements LrSchedule {
  public WarmupPolicy {
    Phases.checkLr("WarmupPolicy", "lr", baseLr);
    Phases.checkSteps("WarmupPolicy", "warmup_steps", warmupSteps);
    Phases.checkLr("WarmupPolicy", "min_lr", minLr);
  }

  @Override
  public double lr(long step) {
    Phases.checkStep(step);
    if (Phases.warmingUp(step, warmupSteps)) {
      return Phases.warmupLr(baseLr, step, warmupSteps);
    }
    if (maxSteps > 0 && step > maxSteps) {
      return minLr;
    }
    return baseLr;
  }
}
