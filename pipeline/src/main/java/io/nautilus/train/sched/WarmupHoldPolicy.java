package io.nautilus.train.sched;

/**
 * Linear warmup, then the base rate held for {@code holdSteps} more steps and on until {@code
 * maxSteps}, then {@code minLr}.
 *
 * <p>NeMo's class of this name only adds the hold phase for its subclasses to decay after; on its
 * own it behaves like {@link WarmupPolicy}.
 *
 * @param baseLr the optimizer's {@code lr}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param holdSteps steps at the base rate after warmup (the config's {@code hold_steps}, not
 *     counting warmup)
 * @param maxSteps the last step before the rate drops to {@code minLr}; 0 or less when training has
 *     no known end
 * @param minLr the rate after {@code maxSteps}
 */
public record WarmupHoldPolicy(
    double baseLr, long warmupSteps, long holdSteps, long maxSteps, double minLr)
    implements LrSchedule {
  public WarmupHoldPolicy {
    Phases.checkLr("WarmupHoldPolicy", "lr", baseLr);
    Phases.checkSteps("WarmupHoldPolicy", "warmup_steps", warmupSteps);
    Phases.checkSteps("WarmupHoldPolicy", "hold_steps", holdSteps);
    Phases.checkLr("WarmupHoldPolicy", "min_lr", minLr);
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
