package io.nautilus.asr.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.nautilus.asr.text.CharTokenizer;
import io.nautilus.train.engine.Autograd;
import io.nautilus.train.engine.ParamSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small networks and inputs shared by the model tests. */
final class TestNets {
  static final int FEATURES = 16;

  private TestNets() {}

  static Map<String, Object> conv() {
    return Map.of(
        "type",
        "conv",
        "feat_in",
        FEATURES,
        "jasper",
        List.of(
            Map.of("filters", 32, "kernel", List.of(5), "stride", List.of(2), "separable", true),
            Map.of(
                "filters",
                32,
                "repeat",
                2,
                "kernel",
                List.of(5),
                "residual",
                true,
                "separable",
                true),
            Map.of("filters", 48, "kernel", List.of(1))));
  }

  static Map<String, Object> conformer(String normType) {
    Map<String, Object> encoder = new HashMap<>();
    encoder.put("type", "conformer");
    encoder.put("feat_in", FEATURES);
    encoder.put("n_layers", 2);
    encoder.put("d_model", 32);
    encoder.put("n_heads", 4);
    encoder.put("conv_kernel_size", 7);
    encoder.put("conv_norm_type", normType);
    encoder.put("subsampling_conv_channels", 8);
    return encoder;
  }

  static AsrNetwork network(Map<String, ?> encoder) {
    return new AsrNetwork(
        AsrModelConfig.fromMap(Map.of("labels", CharTokenizer.ENGLISH_LABELS, "encoder", encoder)));
  }

  /** Initialises the network's parameters from {@code seed}, the way the trainer does. */
  static ParamSet initialize(AsrNetwork net, NDManager manager, long seed) {
    net.initialize(manager, DataType.FLOAT32, net.inputShapes());
    ParamSet params = ParamSet.of(net);
    params.initialize(seed);
    return params;
  }

  /**
   * Uniform noise in [-1.7, 1.7) from a Java generator, so tests do not touch the engine's random
   * state.
   */
  static NDArray noise(NDManager manager, long seed, long... shape) {
    Shape s = new Shape(shape);
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(s.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1) * 1.7f;
    }
    return manager.create(values, s);
  }

  /** Sets PyTorch's intra-op thread count and returns the previous one. */
  static int setTorchThreads(int count) {
    Engine.getEngine("PyTorch");
    int previous = JniUtils.getNumThreads();
    JniUtils.setNumThreads(count);
    return previous;
  }

  static NDList forward(AsrNetwork net, NDArray features, long[] lengths, boolean training) {
    NDManager manager = features.getManager();
    try (Autograd paused = Autograd.pause()) {
      return net.forward(
          new ParameterStore(manager, false),
          new NDList(features, manager.create(lengths)),
          training);
    }
  }
}
