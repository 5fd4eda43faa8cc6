package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * {@code torch.optim.SGD}: L2 weight decay added to the gradient, a momentum buffer that starts as
 * the first (decayed) gradient, dampening on later steps, and Nesterov's look-ahead.
 */
final class Sgd extends SlotOptimizer {
  static final String MOMENTUM_BUFFER = "momentum_buffer";

  private final double momentum;
  private final double dampening;
  private final double weightDecay;
  private final boolean nesterov;

  Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    super("sgd", lr);
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  @Override
  List<String> slotNames() {
    return momentum == 0 ? List.of() : List.of(MOMENTUM_BUFFER);
  }

  @Override
  void update(Param param, double lr, long step) {
    NDArray direction = param.grad();
    if (weightDecay != 0) {
      direction = direction.add(param.weight().mul(InPlace.scalar(weightDecay)));
    }
    if (momentum != 0) {
      NDArray buffer = param.slot(MOMENTUM_BUFFER);
      if (buffer == null) {
        buffer = param.slotOrZeros(MOMENTUM_BUFFER).addi(direction);
      } else {
        buffer
            .muli(InPlace.scalar(momentum))
            .addi(dampening == 0 ? direction : direction.mul(InPlace.scalar(1 - dampening)));
      }
      direction = nesterov ? direction.add(buffer.mul(InPlace.scalar(momentum))) : buffer;
    }
    param.weight().subi(direction.mul(InPlace.scalar(lr)));
  }
}
