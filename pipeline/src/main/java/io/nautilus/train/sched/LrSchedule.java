package io.nautilus.train.sched;

/**
 * A learning rate for each optimizer step, following one of NeMo's schedules.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface LrSchedule
    permits ConstantLR,
        CosineAnnealing,
        InverseSquareRootAnnealing,
        NoamAnnealing,
        NoamHoldAnnealing,
        PolynomialDecayAnnealing,
        SquareAnnealing,
        SquareRootAnnealing,
        WarmupAnnealing,
        WarmupHoldPolicy,
        WarmupPolicy {

  /**
   * The learning rate for an optimizer step.
   *
   * @param step the optimizer step, 0 for the first update (NeMo's {@code last_epoch})
   * @throws IllegalArgumentException if {@code step} is negative
   */
  double lr(long step);

  /** The name {@code optim.sched.name} gives this schedule in a NeMo config. */
  default String name() {
    return getClass().getSimpleName();
  }
}
