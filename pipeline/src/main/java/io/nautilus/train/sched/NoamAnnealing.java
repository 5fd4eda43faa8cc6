package io.nautilus.train.sched;

/**
 * The Transformer schedule: {@code lr = baseLr * dModel^-0.5 * min(s^-0.5, s * warmupSteps^-1.5)}
 * with {@code s = max(1, step)}, so it rises linearly through warmup and then decays as {@code
 * 1/sqrt(s)}. Without warmup it is {@code baseLr * dModel^-0.5 * s^-0.5} from the start.
 *
 * <p>{@code baseLr} is a scale, not the peak: the peak, at {@code s = warmupSteps}, is {@code
 * baseLr / sqrt(dModel * warmupSteps)}. After warmup the rate never goes below {@code minLr};
 * during warmup it may. As in current NeMo, this schedule has no end: it keeps decaying (down to
 * {@code minLr}) past the run's {@code max_steps}.
 *
 * @param baseLr the optimizer's {@code lr}, a scale
 * @param dModel the model width that normalizes the rate (the config's {@code d_model})
 * @param warmupSteps steps of warmup; 0 for none
 * @param minLr the floor after warmup
 */
public record NoamAnnealing(double baseLr, long dModel, long warmupSteps, double minLr)
    implements LrSchedule {
  private static final String NAME = "NoamAnnealing";

  public NoamAnnealing {
    Phases.checkLr(NAME, "lr", baseLr);
    if (dModel <= 0) {
      throw new IllegalArgumentException(
          "Cannot create NoamAnnealing: d_model must be > 0, got " + dModel);
    }
    Phases.checkSteps(NAME, "warmup_steps", warmupSteps);
    Phases.checkLr(NAME, "min_lr", minLr);
    Phases.checkMinLrNotAboveBase(NAME, baseLr, minLr);
  }

  @Override
  public double lr(long step) {
    Phases.checkStep(step);
    long s = Math.max(1, step);
    double normalize = Math.pow(dModel, -0.5);
    double multiplier;
    if (warmupSteps > 0) {
      multiplier = normalize * Math.min(Math.pow(s, -0.5), s * Math.pow(warmupSteps, -1.5));
    } else {
      multiplier = normalize * Math.pow(s, -0.5);
    }
    double lr = baseLr * multiplier;
    return s > warmupSteps ? Math.max(lr, minLr) : lr;
  }
}
