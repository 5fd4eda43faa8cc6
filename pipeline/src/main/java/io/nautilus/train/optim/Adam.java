package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * {@code torch.optim.Adam} and {@code torch.optim.AdamW}, bias-corrected as torch does. Adam adds
 * L2 weight decay to the gradient; AdamW instead shrinks the weight by {@code lr * weight_decay}
 * before the update. With {@code amsgrad} the denominator uses the running maximum of the second
 * moment.
 */
final class Adam extends SlotOptimizer {
  static final String EXP_AVG = "exp_avg";
  static final String EXP_AVG_SQ = "exp_avg_sq";
  static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final boolean amsgrad;

  Adam(
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean decoupled,
      boolean amsgrad) {
    super(decoupled ? "adamw" : "adam", lr);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.amsgrad = amsgrad;
  }

  @Override
  List<String> slotNames() {
    return amsgrad ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ);
  }

  @Override
  void update(Param param, double lr, long step) {
    NDArray weight = param.weight();
    NDArray grad = param.grad();
    if (decoupled) {
      weight.muli(InPlace.scalar(1 - lr * weightDecay));
    } else if (weightDecay != 0) {
      grad = grad.add(weight.mul(InPlace.scalar(weightDecay)));
    }
    NDArray expAvg = param.slotOrZeros(EXP_AVG);
    NDArray expAvgSq = param.slotOrZeros(EXP_AVG_SQ);
    expAvg.muli(InPlace.scalar(beta1)).addi(grad.mul(InPlace.scalar(1 - beta1)));
    expAvgSq.muli(InPlace.scalar(beta2)).addi(grad.square().muli(InPlace.scalar(1 - beta2)));

    double stepSize = lr / (1 - Math.pow(beta1, step));
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    NDArray second = expAvgSq;
    if (amsgrad) {
      second =
          param.replaceSlot(MAX_EXP_AVG_SQ, param.slotOrZeros(MAX_EXP_AVG_SQ).maximum(expAvgSq));
    }
    NDArray denom =
        second.sqrt().divi(InPlace.scalar(biasCorrection2Sqrt)).addi(InPlace.scalar(eps));
    weight.subi(expAvg.div(denom).muli(InPlace.scalar(stepSize)));
  }
}
