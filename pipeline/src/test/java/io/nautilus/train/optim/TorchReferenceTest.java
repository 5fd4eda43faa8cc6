package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.PythonReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Twenty steps of each optimizer against PyTorch: {@code torch.optim} for sgd, adam and adamw, and
 * NeMo's Novograd rule written out in torch (NeMo is not installed). One Python process runs every
 * case. Needs {@code /usr/bin/python3} with torch (Debian {@code python3-torch}); skips otherwise.
 */
class TorchReferenceTest {
  private static final int STEPS = 20;

  /** Relative to the weight, absolute below magnitude 1: float32 rounding differs per kernel. */
  private static final double TOLERANCE = 1e-6;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode reference;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("sgd", Map.of("lr", 0.1)),
        Arguments.of("sgd", Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 0.01)),
        Arguments.of(
            "sgd", Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 0.01, "nesterov", true)),
        Arguments.of("sgd", Map.of("lr", 0.05, "momentum", 0.8, "dampening", 0.1)),
        Arguments.of("adam", Map.of("lr", 0.01)),
        Arguments.of(
            "adam",
            Map.of("lr", 0.01, "betas", List.of(0.8, 0.99), "eps", 1e-6, "weight_decay", 0.01)),
        Arguments.of("adam", Map.of("lr", 0.01, "amsgrad", true)),
        Arguments.of("adamw", Map.of("lr", 0.01, "weight_decay", 0.05)),
        Arguments.of("adamw", Map.of("lr", 0.01, "amsgrad", true)),
        Arguments.of("novograd", Map.of("lr", 0.01)),
        Arguments.of("novograd", Map.of("lr", 0.01, "weight_decay", 0.001, "grad_averaging", true)),
        Arguments.of("novograd", Map.of("lr", 0.01, "betas", List.of(0.9, 0.5), "amsgrad", true)));
  }

  /** The weights: a matrix, a vector and a scalar-like tensor whose first gradients are zero. */
  private static List<float[]> initialWeights() {
    List<float[]> weights = new ArrayList<>();
    for (int size : new int[] {6, 3, 1}) {
      float[] w = new float[size];
      for (int i = 0; i < size; i++) {
        w[i] = (float) (1.5 * Math.cos(0.9 * i + size));
      }
      weights.add(w);
    }
    return weights;
  }

  private static final Shape[] SHAPES = {new Shape(2, 3), new Shape(3), new Shape(1)};

  private static float[] grad(int step, int param) {
    // Zero at first for the last tensor: Novograd must start its average at the first nonzero norm.
    if (param == 2 && step < 2) {
      return new float[] {0f};
    }
    return Params.syntheticGrad(step, param, (int) SHAPES[param].size());
  }

  private static double lr(double base, int step) {
    return base * (1 + 0.5 * Math.sin(step));
  }

  private static String id(String optimizer, Map<String, ?> args) {
    return optimizer + " " + new TreeMap<>(args);
  }

  @BeforeAll
  static void runReference() throws Exception {
    List<Map<String, Object>> cases = new ArrayList<>();
    cases()
        .forEach(
            arguments -> {
              String optimizer = (String) arguments.get()[0];
              @SuppressWarnings("unchecked")
              Map<String, Object> args = (Map<String, Object>) arguments.get()[1];
              double baseLr = ((Number) args.get("lr")).doubleValue();
              List<Map<String, Object>> weights = new ArrayList<>();
              List<float[]> initial = initialWeights();
              for (int p = 0; p < SHAPES.length; p++) {
                weights.add(Map.of("shape", SHAPES[p].getShape(), "data", initial.get(p)));
              }
              List<List<float[]>> grads = new ArrayList<>();
              List<Double> lrs = new ArrayList<>();
              for (int t = 0; t < STEPS; t++) {
                List<float[]> stepGrads = new ArrayList<>();
                for (int p = 0; p < SHAPES.length; p++) {
                  stepGrads.add(grad(t, p));
                }
                grads.add(stepGrads);
                lrs.add(lr(baseLr, t));
              }
              Map<String, Object> c = new LinkedHashMap<>();
              c.put("id", id(optimizer, args));
              c.put("optimizer", optimizer);
              c.put("args", args);
              c.put("weights", weights);
              c.put("grads", grads);
              c.put("lrs", lrs);
              cases.add(c);
            });
    reference =
        PythonReference.runJson(
            JSON, "/optim/torch_reference.py", Map.of("cases", cases), "python3-torch");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void twentyStepsMatchPyTorch(String optimizer, Map<String, ?> args) {
    JsonNode expected = reference.get(id(optimizer, args));
    assertThat(expected).as("reference for %s", id(optimizer, args)).isNotNull();
    double baseLr = ((Number) args.get("lr")).doubleValue();
    try (NDManager manager = NDManager.newBaseManager();
        Optimizer opt = Optimizers.create(optimizer, args)) {
      Params params = new Params(manager);
      List<float[]> initial = initialWeights();
      for (int p = 0; p < SHAPES.length; p++) {
        params.add("p" + p, SHAPES[p], initial.get(p));
      }
      for (int t = 0; t < STEPS; t++) {
        params.step(opt, lr(baseLr, t), grad(t, 0), grad(t, 1), grad(t, 2));
      }
      for (int p = 0; p < SHAPES.length; p++) {
        float[] actual = params.values(p);
        JsonNode want = expected.get(p);
        assertThat(actual).hasSize(want.size());
        for (int i = 0; i < actual.length; i++) {
          double e = want.get(i).asDouble();
          assertThat((double) actual[i])
              .as("p%d[%d] after %d steps (initially %s)", p, i, STEPS, initial.get(p)[i])
              .isCloseTo(e, within(TOLERANCE * Math.max(1, Math.abs(e))));
          // The run must have moved the weight, or the comparison proves nothing.
          assertThat(e).isNotEqualTo(initial.get(p)[i]);
        }
      }
    }
  }
}
