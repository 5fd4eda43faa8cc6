package io.nautilus.train.sched;

/**
 * Linear warmup, then {@code baseLr * ((T - s) / T)^2} with {@code s = step - warmupSteps} and
 * {@code T = maxSteps - warmupSteps}, never below {@code minLr}; {@code minLr} after {@code
 * maxSteps}.
 *
 * <p>NeMo's default {@code min_lr} for this schedule is {@code 1e-5}, not 0 ({@link
 * LrSchedules#create} applies it).
 *
 * @param baseLr the optimizer's {@code lr}
 * @param warmupSteps steps of linear warmup; 0 for none
 * @param maxSteps the step at which the decay reaches 0 (so {@code minLr})
 * @param minLr the floor of the decay and the rate after {@code maxSteps}
 */
public record SquareAnnealing(double baseLr, long warmupSteps, long maxSteps, double minLr)
    implements LrSchedule {
  /** NeMo's default {@code min_lr} for this schedule. */
  public static final double DEFAULT_MIN_LR = 1e-5;

  public SquareAnnealing {
    Phases.checkLr("SquareAnnealing", "lr", baseLr);
    Phases.checkSteps("SquareAnnealing", "warmup_steps", warmupSteps);
    Phases.checkMaxSteps("SquareAnnealing", maxSteps);
    Phases.checkLr("SquareAnnealing", "min_lr", minLr);
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
    long decaySteps = maxSteps - warmupSteps;
    double remaining = (double) (decaySteps - (step - warmupSteps)) / decaySteps;
    return Math.max(baseLr * (remaining * remaining), minLr);
  }
}
