package io.nautilus.train.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.nautilus.dist.ProcessGroup;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model's trainable parameters in one fixed order: the order of the block's parameter names, as
 * its structure gives them, which is the same on every rank. DJL's parameter ids are random UUIDs
 * and never used for ordering.
 */
public final class ParamSet {
  private final List<String> names = new ArrayList<>();
  private final List<NDArray> weights = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final List<Parameter.Type> types = new ArrayList<>();

  private ParamSet() {}

  /** The initialized block's trainable parameters. */
  public static ParamSet of(Block block) {
    ParamSet set = new ParamSet();
    Set<String> seen = new HashSet<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (!parameter.requiresGradient()) {
        continue;
      }
      if (!parameter.isInitialized()) {
        throw new IllegalStateException(
            "Cannot list parameters: " + p.getKey() + " is not initialized");
      }
      if (!seen.add(p.getKey())) {
        throw new IllegalStateException(
            "Cannot list parameters: two parameters are named "
                + p.getKey()
                + "; the gradient order needs unique names");
      }
      set.names.add(p.getKey());
      set.weights.add(parameter.getArray());
      set.shapes.add(parameter.getArray().getShape());
      set.types.add(parameter.getType());
    }
    return set;
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  public List<NDArray> weights() {
    return List.copyOf(weights);
  }

  public int size() {
    return names.size();
  }

  public Shape shape(int i) {
    return shapes.get(i);
  }

  public int length(int i) {
    return Math.toIntExact(shapes.get(i).size());
  }

  public long totalFloats() {
    long n = 0;
    for (Shape s : shapes) {
      n += s.size();
    }
    return n;
  }

  /**
   * Sets every parameter from a seeded Java generator, so the start does not depend on the engine's
   * process-wide random state (shared by ranks running as threads of one JVM). Weights get Xavier
   * uniform values from their fan-in and fan-out; norm scales (BatchNorm and LayerNorm gamma) start
   * at one, as in torch, since zero would silence the layer; biases and other 1-D parameters start
   * at zero.
   */
  public void initialize(long seed) {
    try (Autograd paused = Autograd.pause()) {
      for (int i = 0; i < size(); i++) {
        Shape s = shapes.get(i);
        float[] v = new float[length(i)];
        if (types.get(i) == Parameter.Type.GAMMA) {
          Arrays.fill(v, 1f);
        } else if (s.dimension() >= 2) {
          long fanOut = s.get(0);
          long fanIn = s.size() / fanOut;
          double bound = Math.sqrt(6.0 / (fanIn + fanOut));
          SplittableRandom r = new SplittableRandom(seed ^ names.get(i).hashCode() * 0x9E3779B97L);
          for (int k = 0; k < v.length; k++) {
            v[k] = (float) ((r.nextDouble() * 2 - 1) * bound);
          }
        }
        weights.get(i).set(FloatBuffer.wrap(v));
      }
    }
  }

  /** Adds each parameter's gradient into {@code sums} (host arrays, one per parameter). */
  public void addGradientsTo(List<float[]> sums) {
    for (int i = 0; i < size(); i++) {
      NDArray w = weights.get(i);
      if (!w.hasGradient()) {
        continue;
      }
      float[] g = w.getGradient().toFloatArray();
      float[] sum = sums.get(i);
      for (int k = 0; k < g.length; k++) {
        sum[k] += g[k];
      }
    }
  }

  public void zeroGradients() {
    for (NDArray w : weights) {
      Autograd.zeroGradient(w);
    }
  }

  /** Host arrays shaped like the parameters, all zero. */
  public List<float[]> newHostArrays() {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      out.add(new float[length(i)]);
    }
    return out;
  }

  public LinkedHashMap<String, float[]> toHost() {
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < size(); i++) {
      out.put(names.get(i), weights.get(i).toFloatArray());
    }
    return out;
  }

  /** Sets the weights from host arrays keyed by name; every parameter must be present. */
  public void load(Map<String, float[]> values, String source) {
    try (Autograd paused = Autograd.pause()) {
      for (int i = 0; i < size(); i++) {
        float[] v = values.get(names.get(i));
        if (v == null || v.length != length(i)) {
          throw new IllegalArgumentException(
              "Cannot load weights from "
                  + source
                  + ": parameter "
                  + names.get(i)
                  + (v == null
                      ? " is missing"
                      : " has " + v.length + " values, the model needs " + shapes.get(i)));
        }
        weights.get(i).set(FloatBuffer.wrap(v));
      }
    }
  }

  /** Makes every rank's weights equal rank {@code root}'s. */
  public void broadcast(ProcessGroup group, int root) {
    broadcast(group, root, weights);
  }

  /**
   * Makes every rank's arrays equal rank {@code root}'s, in one collective over their flattened
   * values; every rank passes arrays of the same shapes in the same order.
   */
  public static void broadcast(ProcessGroup group, int root, List<NDArray> arrays) {
    if (group.worldSize() == 1 || arrays.isEmpty()) {
      return;
    }
    long total = 0;
    for (NDArray a : arrays) {
      total += a.size();
    }
    float[] flat = new float[Math.toIntExact(total)];
    int at = 0;
    for (NDArray a : arrays) {
      float[] v = a.toFloatArray();
      System.arraycopy(v, 0, flat, at, v.length);
      at += v.length;
    }
    group.broadcast(flat, root);
    at = 0;
    try (Autograd paused = Autograd.pause()) {
      for (NDArray a : arrays) {
        float[] v = new float[Math.toIntExact(a.size())];
        System.arraycopy(flat, at, v, 0, v.length);
        at += v.length;
        a.set(FloatBuffer.wrap(v));
      }
    }
  }
}
