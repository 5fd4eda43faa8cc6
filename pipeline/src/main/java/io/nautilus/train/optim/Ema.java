package io.nautilus.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exponential moving average of the weights, as NeMo's {@code exp_manager.ema}: after optimizer
 * step {@code s} (counted from 0) with {@code s % every_n_steps == 0}, {@code ema = decay * ema +
 * (1 - decay) * weight}. The averages stay on the weights' device.
 *
 * <p>NeMo copies the weights into the average just before the first optimizer step; call {@link
 * #init} there for the same numbers. Without it, the first {@link #update} takes the weights it is
 * given as the start and does not average them.
 */
public final class Ema implements AutoCloseable {
  private final double decay;
  private final int everyNSteps;
  private final LinkedHashMap<String, NDArray> averages = new LinkedHashMap<>();
  private NDManager manager;

  /** Averages from {@link #load} that have not yet taken their weights' shapes. */
  private boolean loadedUnfitted;

  /**
   * @param decay in [0, 1], NeMo's {@code ema.decay}
   * @param everyNSteps at least 1, NeMo's {@code ema.every_n_steps}
   */
  public Ema(double decay, int everyNSteps) {
    if (!(decay >= 0 && decay <= 1)) {
      throw new IllegalArgumentException(
          "Cannot create EMA: decay must be between 0 and 1, got " + decay);
    }
    if (everyNSteps < 1) {
      throw new IllegalArgumentException(
          "Cannot create EMA: every_n_steps must be >= 1, got " + everyNSteps);
    }
    this.decay = decay;
    this.everyNSteps = everyNSteps;
  }

  public double decay() {
    return decay;
  }

  public int everyNSteps() {
    return everyNSteps;
  }

  /** Whether the averages exist, from {@link #init}, a first {@link #update} or {@link #load}. */
  public boolean initialized() {
    return !averages.isEmpty();
  }

  /** Starts the averages as copies of {@code weights}, replacing any. */
  public void init(List<String> names, List<NDArray> weights) {
    checkAligned(names, weights);
    close();
    if (weights.isEmpty()) {
      return;
    }
    manager = NDManager.subManagerOf(weights.get(0));
    for (int i = 0; i < names.size(); i++) {
      NDArray weight = weights.get(i);
      try (NDManager scope = manager.newSubManager(weight.getDevice())) {
        NDArray copy = InPlace.view(scope, weight).duplicate();
        copy.attach(manager);
        averages.put(names.get(i), copy);
      }
    }
  }

  /**
   * Folds the weights in after optimizer step {@code step} (0 for the first), or starts the
   * averages from them on the first call.
   *
   * @throws IllegalStateException if the names differ from those the averages were built with
   */
  public void update(long step, List<String> names, List<NDArray> weights) {
    if (!initialized()) {
      init(names, weights);
      return;
    }
    checkAligned(names, weights);
    if (!names.equals(new ArrayList<>(averages.keySet()))) {
      throw new IllegalStateException(
          "Cannot update EMA: parameters "
              + names
              + " differ from the averaged "
              + averages.keySet());
    }
    if (loadedUnfitted) {
      fitLoaded(names, weights);
      loadedUnfitted = false;
    }
    if (step % everyNSteps != 0) {
      return;
    }
    for (int i = 0; i < names.size(); i++) {
      NDArray weight = weights.get(i);
      try (NDManager scope = manager.newSubManager(weight.getDevice())) {
        NDArray average = InPlace.view(scope, averages.get(names.get(i)));
        average
            .muli(InPlace.scalar(decay))
            .addi(InPlace.view(scope, weight).mul(InPlace.scalar(1 - decay)));
      }
    }
  }

  /** Host copies of the averages, flattened row-major, in parameter order. */
  public LinkedHashMap<String, float[]> weights() {
    LinkedHashMap<String, float[]> host = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> average : averages.entrySet()) {
      NDArray array = average.getValue();
      if (array.getDataType() == DataType.FLOAT32) {
        host.put(average.getKey(), array.toFloatArray());
      } else {
        try (NDArray asFloat = array.toType(DataType.FLOAT32, true)) {
          host.put(average.getKey(), asFloat.toFloatArray());
        }
      }
    }
    return host;
  }

  /**
   * Replaces the averages with saved ones, created on {@code manager}'s device; they take their
   * weights' shapes at the next {@link #update}.
   */
  public void load(LinkedHashMap<String, float[]> weights, NDManager manager) {
    Objects.requireNonNull(weights, "weights is null");
    Objects.requireNonNull(manager, "manager is null");
    close();
    this.manager = manager.newSubManager();
    for (Map.Entry<String, float[]> average : weights.entrySet()) {
      averages.put(average.getKey(), this.manager.create(average.getValue()));
    }
    loadedUnfitted = true;
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
      manager = null;
    }
    averages.clear();
    loadedUnfitted = false;
  }

  private void fitLoaded(List<String> names, List<NDArray> weights) {
    for (int i = 0; i < names.size(); i++) {
      NDArray weight = weights.get(i);
      NDArray flat = averages.get(names.get(i));
      if (flat.size() != weight.size()) {
        throw new IllegalStateException(
            "Cannot update EMA: the loaded average of '"
                + names.get(i)
                + "' has "
                + flat.size()
                + " values, the weight has shape "
                + weight.getShape());
      }
      averages.put(names.get(i), InPlace.fit(flat, weight.getShape(), weight, manager));
    }
  }

  private static void checkAligned(List<String> names, List<NDArray> weights) {
    if (names.size() != weights.size()) {
      throw new IllegalArgumentException(
          "Cannot update EMA: " + names.size() + " names and " + weights.size() + " weights");
    }
  }
}
