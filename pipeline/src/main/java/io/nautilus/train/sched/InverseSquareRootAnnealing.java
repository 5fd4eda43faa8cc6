package io.nautilus.train.sched;

/**
 * Linear warmup, then {@code baseLr / sqrt((step + 1) / (warmupSteps + 1))}, then {@code minLr}
 * after {@code maxSteps}.
 *
 * <p>As in NeMo, {@code minLr} is not a floor before {@code maxSteps}: the decay may pass below it
 * and then jump to it.
 *
 * @param baseLr the optimizer's {@code lr}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param maxSteps the last step of the decay
 * @param minLr the rate after {@code maxSteps}
 */
public record InverseSquareRootAnnealing(
    double baseLr, long warmupSteps, long maxSteps, double minLr) implements LrSchedule {
  public InverseSquareRootAnnealing {
    Phases.checkLr("InverseSquareRootAnnealing", "lr", baseLr);
    Phases.checkSteps("InverseSquareRootAnnealing", "warmup_steps", warmupSteps);
    Phases.checkMaxSteps("InverseSquareRootAnnealing", maxSteps);
    Phases.checkLr("InverseSquareRootAnnealing", "min_lr", minLr);
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
    double denominator = Math.pow((double) (step + 1) / (warmupSteps + 1), 0.5);
    return baseLr / denominator;
  }
}
