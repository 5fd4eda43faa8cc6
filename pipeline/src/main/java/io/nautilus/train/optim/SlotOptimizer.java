package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The bookkeeping every optimizer shares: the step count, the named state slots and their arrays,
 * argument checks, one scope of temporaries per parameter, and saving and loading.
 */
abstract class SlotOptimizer implements Optimizer {
  private final String name;
  private final double baseLr;
  private final LinkedHashMap<String, NDArray> slots = new LinkedHashMap<>();
  private NDManager slotManager;
  private long steps;

  /** Slots from {@link #loadState} that have not yet been fitted to the parameters. */
  private boolean loadedUnfitted;

  SlotOptimizer(String name, double baseLr) {
    this.name = name;
    this.baseLr = baseLr;
  }

  /** The slots each parameter has once updated. */
  abstract List<String> slotNames();

  /** A slot's shape; the weight's unless overridden. */
  Shape slotShape(String slot, Shape weightShape) {
    return weightShape;
  }

  /** Updates one parameter; {@code step} counts from 1, as torch's bias correction does. */
  abstract void update(Param param, double lr, long step);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final double baseLr() {
    return baseLr;
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final void step(
      List<String> names, List<NDArray> weights, List<NDArray> grads, double lr) {
    check(names, weights, grads);
    if (!weights.isEmpty() && slotManager == null) {
      slotManager = NDManager.subManagerOf(weights.get(0));
    }
    if (loadedUnfitted) {
      fitLoaded(names, weights);
      loadedUnfitted = false;
    }
    long step = steps + 1;
    for (int i = 0; i < names.size(); i++) {
      NDArray weight = weights.get(i);
      try (NDManager scope = slotManager.newSubManager(weight.getDevice())) {
        Param param =
            new Param(
                names.get(i),
                weight,
                InPlace.view(scope, weight),
                InPlace.view(scope, grads.get(i)),
                scope);
        update(param, lr, step);
      }
    }
    steps = step;
  }

  @Override
  public final OptimizerState saveState() {
    LinkedHashMap<String, float[]> host = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> slot : slots.entrySet()) {
      host.put(slot.getKey(), toHost(slot.getValue()));
    }
    return new OptimizerState(name, steps, host);
  }

  @Override
  public final void loadState(OptimizerState state, NDManager manager) {
    Objects.requireNonNull(state, "state is null");
    Objects.requireNonNull(manager, "manager is null");
    if (!state.optimizer().equals(name)) {
      throw new IllegalArgumentException(
          "Cannot load optimizer state: it was saved by "
              + state.optimizer()
              + ", this optimizer is "
              + name);
    }
    close();
    slotManager = manager.newSubManager();
    for (Map.Entry<String, float[]> slot : state.slots().entrySet()) {
      slots.put(slot.getKey(), slotManager.create(slot.getValue()));
    }
    steps = state.steps();
    loadedUnfitted = true;
  }

  @Override
  public final void close() {
    if (slotManager != null) {
      slotManager.close();
      slotManager = null;
    }
    slots.clear();
    steps = 0;
    loadedUnfitted = false;
  }

  private void check(List<String> names, List<NDArray> weights, List<NDArray> grads) {
    if (names.size() != weights.size() || names.size() != grads.size()) {
      throw new IllegalArgumentException(
          "Cannot step "
              + name
              + ": "
              + names.size()
              + " names, "
              + weights.size()
              + " weights and "
              + grads.size()
              + " gradients do not align");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String param = names.get(i);
      if (!seen.add(param)) {
        throw new IllegalArgumentException(
            "Cannot step " + name + ": parameter name '" + param + "' appears twice");
      }
      Shape weightShape = weights.get(i).getShape();
      Shape gradShape = grads.get(i).getShape();
      if (!weightShape.equals(gradShape)) {
        throw new IllegalArgumentException(
            "Cannot step "
                + name
                + ": gradient of '"
                + param
                + "' has shape "
                + gradShape
                + ", its weight "
                + weightShape);
      }
    }
  }

  /**
   * Gives loaded slots their parameters' shapes, dtypes and devices, and checks that the state
   * belongs to these parameters: a checkpoint from another model must not be applied quietly.
   */
  private void fitLoaded(List<String> names, List<NDArray> weights) {
    Map<String, NDArray> byName = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      byName.put(names.get(i), weights.get(i));
    }
    for (String key : new ArrayList<>(slots.keySet())) {
      int slash = key.lastIndexOf('/');
      String param = slash < 0 ? key : key.substring(0, slash);
      String slot = slash < 0 ? "" : key.substring(slash + 1);
      NDArray weight = byName.get(param);
      if (weight == null || !slotNames().contains(slot)) {
        throw new IllegalStateException(
            "Cannot step "
                + name
                + ": the loaded state has slot '"
                + key
                + "', which fits no parameter being optimized"
                + (weight == null ? "" : " (slots are " + slotNames() + ")"));
      }
      Shape shape = slotShape(slot, weight.getShape());
      NDArray flat = slots.get(key);
      if (flat.size() != shape.size()) {
        throw new IllegalStateException(
            "Cannot step "
                + name
                + ": the loaded slot '"
                + key
                + "' has "
                + flat.size()
                + " values, but '"
                + param
                + "' needs shape "
                + shape);
      }
      slots.put(key, InPlace.fit(flat, shape, weight, slotManager));
    }
    if (steps > 0) {
      for (String param : names) {
        for (String slot : slotNames()) {
          if (!slots.containsKey(param + "/" + slot)) {
            throw new IllegalStateException(
                "Cannot step "
                    + name
                    + ": the loaded state, saved after "
                    + steps
                    + " steps, has no slot '"
                    + param
                    + "/"
                    + slot
                    + "'");
          }
        }
      }
    }
  }

  private static float[] toHost(NDArray array) {
    if (array.getDataType() == DataType.FLOAT32) {
      return array.toFloatArray();
    }
    try (NDArray asFloat = array.toType(DataType.FLOAT32, true)) {
      return asFloat.toFloatArray();
    }
  }

  /** One parameter during one update: detached views of its weight, gradient and slots. */
  final class Param {
    private final String paramName;
    private final NDArray original;
    private final NDArray weight;
    private final NDArray grad;
    private final NDManager scope;

    private Param(
        String paramName, NDArray original, NDArray weight, NDArray grad, NDManager scope) {
      this.paramName = paramName;
      this.original = original;
      this.weight = weight;
      this.grad = grad;
      this.scope = scope;
    }

    /** The weight; write to it in place. */
    NDArray weight() {
      return weight;
    }

    /** The gradient; never write to it. */
    NDArray grad() {
      return grad;
    }

    /** The slot, or null before the parameter's first update. Write to it in place. */
    NDArray slot(String slot) {
      NDArray array = slots.get(key(slot));
      return array == null ? null : InPlace.view(scope, array);
    }

    /** The slot, created as zeros on first use. */
    NDArray slotOrZeros(String slot) {
      NDArray existing = slot(slot);
      if (existing != null) {
        return existing;
      }
      NDArray zeros =
          slotManager.zeros(
              slotShape(slot, original.getShape()), original.getDataType(), original.getDevice());
      slots.put(key(slot), zeros);
      return InPlace.view(scope, zeros);
    }

    /**
     * Makes {@code value}, an array of this update, the slot's new content, and returns a view of
     * it: arrays computed from {@code value} itself would now outlive the update.
     */
    NDArray replaceSlot(String slot, NDArray value) {
      value.attach(slotManager);
      NDArray previous = slots.put(key(slot), value);
      if (previous != null && previous != value) {
        previous.close();
      }
      return InPlace.view(scope, value);
    }

    private String key(String slot) {
      return paramName + "/" + slot;
    }
  }
}
