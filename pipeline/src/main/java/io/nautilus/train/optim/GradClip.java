package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} with the L2 norm. */
public final class GradClip {
  private GradClip() {}

  /**
   * The L2 norm of all gradients together, accumulated in float64 on the gradients' device; one
   * host read in all.
   *
   * @return 0 for no gradients; NaN or infinity if a gradient holds one
   */
  public static double globalNorm(List<NDArray> grads) {
    if (grads.isEmpty()) {
      return 0;
    }
    NDArray first = grads.get(0);
    try (NDManager scope = NDManager.subManagerOf(first)) {
      NDArray sumSq = scope.zeros(new Shape(), DataType.FLOAT64, first.getDevice());
      for (NDArray grad : grads) {
        try (NDManager inner = scope.newSubManager(grad.getDevice())) {
          NDArray squares = InPlace.view(inner, grad).toType(DataType.FLOAT64, false).square();
          sumSq.addi(squares.sum().toDevice(sumSq.getDevice(), false));
        }
      }
      return Math.sqrt(sumSq.getDouble());
    }
  }

  /**
   * Scales all gradients in place by {@code maxNorm / (norm + 1e-6)} when that factor is below 1,
   * which is what torch's clamped coefficient does. A non-positive {@code maxNorm} turns clipping
   * off; a non-finite norm leaves the gradients alone (the trainer skips such a step).
   *
   * @return the norm before clipping
   */
  public static double clip(List<NDArray> grads, double maxNorm) {
    double norm = globalNorm(grads);
    if (maxNorm <= 0 || !Double.isFinite(norm)) {
      return norm;
    }
    double factor = maxNorm / (norm + 1e-6);
    if (factor < 1) {
      for (NDArray grad : grads) {
        try (NDManager scope = NDManager.subManagerOf(grad)) {
          InPlace.view(scope, grad).muli(InPlace.scalar(factor));
        }
      }
    }
    return norm;
  }
}
