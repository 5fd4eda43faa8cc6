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
   * {@code flat} and any intermediate copy are closed. The caller checked the sizes.
   */
  static NDArray fit(NDArray flat, Shape shape, NDArray like, NDManager owner) {
    NDArray current = flat;
    current = replace(current, current.reshape(shape));
    current = replace(current, current.toType(like.getDataType(), false));
    current = replace(current, current.toDevice(like.getDevice(), false));
    current.attach(owner);
    return current;
  }

  private static NDArray replace(NDArray previous, NDArray next) {
    if (next != previous) {
      // A reshape view keeps the storage alive; closing the old handle only drops the handle.
      previous.close();
    }
    return next;
  }
}
