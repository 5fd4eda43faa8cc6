package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Detached views for writing into weights and state without autograd seeing it. */
final class InPlace {
  private InPlace() {}

  /**
   * A view sharing {@code array}'s storage, outside autograd, owned by {@code scope}. In-place
   * writes to it change {@code array}; arrays computed from it belong to {@code scope}, so closing
   * the scope frees every temporary of the update.
   *
   * <p>Why a view: PyTorch keeps grad mode per thread and DJL turns it off only on the thread that
   * loaded the engine. Elsewhere {@code weight.subi(..)} fails with "a leaf Variable that requires
   * grad is being used in an in-place operation"; the detached view never does.
   */
  static NDArray view(NDManager scope, NDArray array) {
    NDArray view = array.stopGradient();
    view.attach(scope);
    return view;
  }

  /**
   * A hyperparameter as a float, as torch applies a Python number to a float tensor. A double would
   * become a float64 array in DJL and turn a 0-d operand (Novograd's second moment, a scalar
   * weight) into float64.
   */
  static Float scalar(double value) {
    return (float) value;
  }

  /**
   * A restored flat array given {@code like}'s shape, dtype and device, owned by {@code owner};
   * {@code flat} is closed. The caller checked the sizes.
   *
   * <p>The result is a copy in PyTorch-owned memory, never a view of {@code flat}: DJL backs an
   * array made from host data with a Java direct buffer that only that array's own handle keeps
   * alive. A reshaped view outliving the handle points into memory the garbage collector frees, and
   * the next in-place update corrupts the native heap.
   */
  static NDArray fit(NDArray flat, Shape shape, NDArray like, NDManager owner) {
    NDArray copy;
    try (NDArray reshaped = flat.reshape(shape)) {
      copy = reshaped.duplicate();
    }
    flat.close();
    if (copy.getDataType() != like.getDataType()) {
      NDArray typed = copy.toType(like.getDataType(), false);
      copy.close();
      copy = typed;
    }
    if (!copy.getDevice().equals(like.getDevice())) {
      NDArray moved = copy.toDevice(like.getDevice(), true);
      copy.close();
      copy = moved;
    }
    copy.attach(owner);
    return copy;
  }
}
