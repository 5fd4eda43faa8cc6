package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerStateTest {
  private static final Shape[] SHAPES = {new Shape(2, 3), new Shape(4)};

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", true)),
        Arguments.of("adam", Map.of("lr", 0.01, "weight_decay", 0.01, "amsgrad", true)),
        Arguments.of("adamw", Map.of("lr", 0.01)),
        Arguments.of("novograd", Map.of("lr", 0.01, "betas", List.of(0.9, 0.5), "amsgrad", true)));
  }

  private static Params freshParams(NDManager manager, List<float[]> values) {
    Params params = new Params(manager);
    for (int p = 0; p < SHAPES.length; p++) {
      params.add("layer" + p + "_weight", SHAPES[p], values.get(p));
    }
    return params;
  }

  private static List<float[]> initial() {
    List<float[]> values = new ArrayList<>();
    for (Shape shape : SHAPES) {
      values.add(Params.syntheticGrad(99, values.size(), (int) shape.size()));
    }
    return values;
  }

  private static void run(Params params, Optimizer optimizer, int from, int to) {
    for (int t = from; t < to; t++) {
      params.step(
          optimizer,
          0.05 + 0.01 * t,
          Params.syntheticGrad(t, 0, (int) SHAPES[0].size()),
          Params.syntheticGrad(t, 1, (int) SHAPES[1].size()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void fiveStepsSavedAndLoadedThenFiveMoreEqualTenUninterrupted(String name, Map<String, ?> args) {
    List<float[]> straight = new ArrayList<>();
    OptimizerState straightState;
    try (NDManager manager = NDManager.newBaseManager();
        Optimizer optimizer = Optimizers.create(name, args)) {
      Params params = freshParams(manager, initial());
      run(params, optimizer, 0, 10);
      for (int p = 0; p < SHAPES.length; p++) {
        straight.add(params.values(p));
      }
      straightState = optimizer.saveState();
    }

    // A checkpoint: host copies of the weights and the optimizer state, then everything closed.
    List<float[]> savedWeights = new ArrayList<>();
    OptimizerState saved;
    try (NDManager manager = NDManager.newBaseManager();
        Optimizer optimizer = Optimizers.create(name, args)) {
      Params params = freshParams(manager, initial());
      run(params, optimizer, 0, 5);
      for (int p = 0; p < SHAPES.length; p++) {
        savedWeights.add(params.values(p));
      }
      saved = optimizer.saveState();
    }
    assertThat(saved.optimizer()).isEqualTo(name);
    assertThat(saved.steps()).isEqualTo(5);

    try (NDManager manager = NDManager.newBaseManager();
        Optimizer optimizer = Optimizers.create(name, args)) {
      Params params = freshParams(manager, savedWeights);
      optimizer.loadState(saved, manager);
      assertThat(optimizer.steps()).isEqualTo(5);
      run(params, optimizer, 5, 10);
      for (int p = 0; p < SHAPES.length; p++) {
        assertThat(params.values(p)).as("param %d", p).containsExactly(straight.get(p));
      }
      OptimizerState resumedState = optimizer.saveState();
      assertThat(resumedState.steps()).isEqualTo(10);
      assertThat(resumedState.slots().keySet())
          .containsExactlyElementsOf(straightState.slots().keySet());
      for (String key : straightState.slots().keySet()) {
        assertThat(resumedState.slots().get(key))
            .as(key)
            .containsExactly(straightState.slots().get(key));
      }
    }
  }

  @Test
  void slotsAreKeyedByParameterAndShapedLikeTheirWeight() {
    try (NDManager manager = NDManager.newBaseManager();
        Optimizer adam = Optimizers.create("adam", Map.of());
        Optimizer novograd = Optimizers.create("novograd", Map.of())) {
      Params params = freshParams(manager, initial());
      run(params, adam, 0, 1);
      LinkedHashMap<String, float[]> slots = adam.saveState().slots();
      assertThat(slots.keySet())
          .containsExactly(
              "layer0_weight/exp_avg",
              "layer0_weight/exp_avg_sq",
              "layer1_weight/exp_avg",
              "layer1_weight/exp_avg_sq");
      assertThat(slots.get("layer0_weight/exp_avg")).hasSize(6);
      run(params, novograd, 0, 1);
      // Novograd's second moment is one number per tensor.
      assertThat(novograd.saveState().slots().get("layer0_weight/exp_avg_sq")).hasSize(1);
      assertThat(novograd.saveState().slots().get("layer0_weight/exp_avg")).hasSize(6);
    }
  }

  @Test
  void stateOfAnotherOptimizerIsRefused() {
    try (NDManager manager = NDManager.newBaseManager();
        Optimizer adam = Optimizers.create("adam", Map.of())) {
      OptimizerState sgdState = new OptimizerState("sgd", 3, new LinkedHashMap<>());
      assertThatThrownBy(() -> adam.loadState(sgdState, manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot load optimizer state: it was saved by sgd, this optimizer is adam");
    }
  }

  @Test
  void stateOfAnotherModelFailsAtTheNextStep() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LinkedHashMap<String, float[]> slots = new LinkedHashMap<>();
      slots.put("other_weight/exp_avg", new float[6]);
      Optimizer adam = Optimizers.create("adam", Map.of());
      adam.loadState(new OptimizerState("adam", 1, slots), manager);
      Params params = freshParams(manager, initial());
      assertThatThrownBy(() -> run(params, adam, 0, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot step adam: the loaded state has slot 'other_weight/exp_avg', which fits no"
                  + " parameter being optimized");

      slots.clear();
      slots.put("layer0_weight/exp_avg", new float[5]);
      adam.loadState(new OptimizerState("adam", 1, slots), manager);
      assertThatThrownBy(() -> run(params, adam, 0, 1))
          .hasMessage(
              "Cannot step adam: the loaded slot 'layer0_weight/exp_avg' has 5 values, but"
                  + " 'layer0_weight' needs shape (2, 3)");

      slots.put("layer0_weight/exp_avg", new float[6]);
      adam.loadState(new OptimizerState("adam", 1, slots), manager);
      assertThatThrownBy(() -> run(params, adam, 0, 1))
          .hasMessage(
              "Cannot step adam: the loaded state, saved after 1 steps, has no slot"
                  + " 'layer0_weight/exp_avg_sq'");
      adam.close();
    }
  }

  @Test
  void misalignedArgumentsAreRejected() {
    try (NDManager manager = NDManager.newBaseManager();
        Optimizer sgd = Optimizers.create("sgd", Map.of())) {
      Params params = freshParams(manager, initial());
      var grad = manager.zeros(new Shape(3, 2));
      assertThatThrownBy(
              () ->
                  sgd.step(params.names, params.weights, List.of(grad, params.weights.get(1)), 0.1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Cannot step sgd: gradient of 'layer0_weight' has shape (3, 2), its weight (2, 3)");
      assertThatThrownBy(() -> sgd.step(params.names, params.weights, List.of(grad), 0.1))
          .hasMessage("Cannot step sgd: 2 names, 2 weights and 1 gradients do not align");
      assertThat(sgd.steps()).isZero();
    }
  }
}
