package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/** Named weights that require gradients, as a model's parameters do, and helpers to step them. */
final class Params {
  final List<String> names = new ArrayList<>();
  final List<NDArray> weights = new ArrayList<>();
  private final NDManager manager;

  Params(NDManager manager) {
    this.manager = manager;
  }

  Params add(String name, Shape shape, float... values) {
    NDArray weight = manager.create(values, shape);
    weight.setRequiresGradient(true);
    names.add(name);
    weights.add(weight);
    return this;
  }

  Params add(String name, float... values) {
    return add(name, new Shape(values.length), values);
  }

  /** One step with these gradients, one float array per parameter, closed afterwards. */
  void step(Optimizer optimizer, double lr, float[]... grads) {
    assertThat(grads.length).isEqualTo(weights.size());
    List<NDArray> arrays = new ArrayList<>();
    try {
      for (int i = 0; i < grads.length; i++) {
        arrays.add(manager.create(grads[i], weights.get(i).getShape()));
      }
      optimizer.step(names, weights, arrays, lr);
    } finally {
      arrays.forEach(NDArray::close);
    }
  }

  float[] values(int index) {
    return weights.get(index).toFloatArray();
  }

  /** A deterministic, unremarkable gradient for step {@code t} of parameter {@code p}. */
  static float[] syntheticGrad(int t, int p, int size) {
    float[] grad = new float[size];
    for (int i = 0; i < size; i++) {
      grad[i] = (float) (Math.sin(0.7 * t + 1.3 * i + 0.5 * p) * (1 + 0.1 * p));
    }
    return grad;
  }
}
