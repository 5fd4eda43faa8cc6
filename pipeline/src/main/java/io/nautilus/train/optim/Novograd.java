package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * NeMo's {@code Novograd} ({@code nemo.core.optim.novograd}): the second moment is one number per
 * parameter tensor, a running average of the squared gradient norm that takes the norm itself while
 * it is still zero. The gradient is divided by {@code sqrt(exp_avg_sq) + eps}, then gets {@code
 * weight_decay * weight} added and, with {@code grad_averaging}, is scaled by {@code 1 - beta1}
 * before entering the first moment. Unlike NeMo, the caller's gradient is left unchanged.
 */
final class Novograd extends SlotOptimizer {
  static final String EXP_AVG = "exp_avg";
  static final String EXP_AVG_SQ = "exp_avg_sq";
  static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean gradAveraging;
  private final boolean amsgrad;

  Novograd(
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean gradAveraging,
      boolean amsgrad) {
    super("novograd", lr);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.gradAveraging = gradAveraging;
    this.amsgrad = amsgrad;
  }

  @Override
  List<String> slotNames() {
    return amsgrad ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ);
  }

  @Override
  Shape slotShape(String slot, Shape weightShape) {
    return slot.equals(EXP_AVG) ? weightShape : new Shape();
  }

  @Override
  void update(Param param, double lr, long step) {
    NDArray weight = param.weight();
    NDArray normSq = param.grad().norm().square();
    NDArray expAvgSq = param.slotOrZeros(EXP_AVG_SQ);
    // NeMo tests the value, not the step: a tensor whose gradients were all zero so far starts
    // its average at the first nonzero norm. `where` keeps that test on the device.
    NDArray blended =
        expAvgSq.mul(InPlace.scalar(beta2)).addi(normSq.mul(InPlace.scalar(1 - beta2)));
    NDArray second =
        param.replaceSlot(EXP_AVG_SQ, NDArrays.where(expAvgSq.eq(0f), normSq, blended));
    if (amsgrad) {
      second = param.replaceSlot(MAX_EXP_AVG_SQ, param.slotOrZeros(MAX_EXP_AVG_SQ).maximum(second));
    }
    NDArray normalized = param.grad().div(second.sqrt().addi(InPlace.scalar(eps)));
    if (weightDecay != 0) {
      normalized.addi(weight.mul(InPlace.scalar(weightDecay)));
    }
    if (gradAveraging) {
      normalized.muli(InPlace.scalar(1 - beta1));
    }
    NDArray expAvg = param.slotOrZeros(EXP_AVG);
    expAvg.muli(InPlace.scalar(beta1)).addi(normalized);
    weight.subi(expAvg.mul(InPlace.scalar(lr)));
  }
}
