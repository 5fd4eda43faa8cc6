package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * One optimizer over a fixed, ordered set of named parameters. It updates the weights in place and
 * must be called outside any {@code GradientCollector}. It owns its state arrays: close it to free
 * them (closing the weights' manager frees them as well).
 */
public interface Optimizer extends AutoCloseable {
  /** The NeMo name, e.g. {@code adamw}. */
  String name();

  /** The configured {@code lr}; the rate actually used is the one passed to {@link #step}. */
  double baseLr();

  /**
   * One update of every parameter, then increments {@link #steps()}.
   *
   * @param names parameter names, unique and in the same order at every step
   * @param weights the weights, aligned with {@code names}; updated in place
   * @param grads the gradients, aligned with {@code names}; left unchanged
   * @param lr the learning rate of this step, from the LR schedule
   * @throws IllegalArgumentException if the lists do not align or a gradient's shape differs from
   *     its weight's
   * @throws IllegalStateException if a loaded state does not fit the parameters
   */
  void step(List<String> names, List<NDArray> weights, List<NDArray> grads, double lr);

  /** Updates done so far, including those before a {@link #loadState}. */
  long steps();

  /** Host copies of everything needed to continue bit for bit. */
  OptimizerState saveState();

  /**
   * Replaces the state with a saved one. The slots are created on {@code manager}'s device and take
   * their parameters' shapes at the next {@link #step}, which also checks that they fit.
   *
   * @throws IllegalArgumentException if the state is from another optimizer
   */
  void loadState(OptimizerState state, NDManager manager);

  /** Frees the state arrays; the optimizer starts from scratch if stepped again. */
  @Override
  void close();
}
