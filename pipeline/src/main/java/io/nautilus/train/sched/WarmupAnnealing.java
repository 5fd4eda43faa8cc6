package io.nautilus.train.sched;

/**
 * Linear warmup, then a straight line from the base rate down to {@code minLr} at {@code maxSteps},
 * then {@code minLr}.
 *
 * @param baseLr the optimizer's {@code lr}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param maxSteps the step at which the line reaches {@code minLr}
 * @param minLr the rate at and after {@code maxSteps}
 */
public record WarmupAnnealing(double baseLr, long warmupSteps, long maxSteps, double minLr)
    implements LrSchedule {
  public WarmupAnnealing {
    Phases.checkLr("WarmupAnnealing", "lr", baseLr);
    Phases.checkSteps("WarmupAnnealing", "warmup_steps", warmupSteps);
    Phases.checkMaxSteps("WarmupAnnealing", maxSteps);
    Phases.checkLr("WarmupAnnealing", "min_lr", minLr);
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
    double progress = (double) (step - warmupSteps) / (maxSteps - warmupSteps);
    return minLr + (1 - progress) * (baseLr - minLr);
  }
}
