package io.nautilus.train.sched;

/** The warmup and end-of-training rules that NeMo's schedules share, and argument checks. */
final class Phases {
  private Phases() {}

  static void checkStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException(
          "Cannot compute a learning rate: step must be >= 0 (0 is the first optimizer step), got "
              + step);
    }
  }

  /** NeMo warms up through step {@code warmupSteps} inclusive, and only when there is warmup. */
  static boolean warmingUp(long step, long warmupSteps) {
    return warmupSteps > 0 && step <= warmupSteps;
  }

  /**
   * Linear warmup that reaches {@code baseLr} at step {@code warmupSteps}; the ratio is taken
   * first, as NeMo does, so results match it bit for bit.
   */
  static double warmupLr(double baseLr, long step, long warmupSteps) {
    double fraction = (double) (step + 1) / (warmupSteps + 1);
    return baseLr * fraction;
  }

  static void checkLr(String schedule, String key, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          "Cannot create " + schedule + ": " + key + " must be a finite number >= 0, got " + value);
    }
  }

  static void checkSteps(String schedule, String key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "Cannot create " + schedule + ": " + key + " must be >= 0, got " + value);
    }
  }

  static void checkMaxSteps(String schedule, long maxSteps) {
    if (maxSteps <= 0) {
      throw new IllegalArgumentException(
          "Cannot create "
              + schedule
              + ": max_steps must be > 0, got "
              + maxSteps
              + "; set trainer.max_steps, or trainer.max_epochs with a known number of steps"
              + " per epoch");
    }
  }

  static void checkMinLrNotAboveBase(String schedule, double baseLr, double minLr) {
    if (baseLr < minLr) {
      throw new IllegalArgumentException(
          "Cannot create "
              + schedule
              + ": the base lr "
              + baseLr
              + " is below min_lr "
              + minLr
              + "; lower min_lr or raise optim.lr");
    }
  }
}
