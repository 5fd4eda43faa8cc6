package io.nautilus.train.sched;

/**
 * The base learning rate at every step: what NeMo does when {@code optim} has no {@code sched}.
 *
 * <p>NeMo itself has no schedule of this name; it is here so that "no schedule" is a value like the
 * others. It is not PyTorch's {@code ConstantLR}, which scales the rate by a factor for a number of
 * steps.
 *
 * @param baseLr the optimizer's {@code lr}
 */
public record ConstantLR(double baseLr) implements LrSchedule {
  public ConstantLR {
    Phases.checkLr("ConstantLR", "lr", baseLr);
  }

  @Override
  public double lr(long step) {
    Phases.checkStep(step);
    return baseLr;
  }
}
