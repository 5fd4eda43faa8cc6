package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

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
}
