package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each rule on one weight {@code w = [1, -2]} with gradients {@code g1 = [0.5, 1]}, {@code g2 =
 * [-0.25, 0.5]}, {@code g3 = [1, -0.5]} and {@code lr = 0.1}, against values worked out by hand
 * from the torch and NeMo formulas.
 */
class OptimizerHandValuesTest {
  private static final float[] G1 = {0.5f, 1f};
  private static final float[] G2 = {-0.25f, 0.5f};
  private static final float[] G3 = {1f, -0.5f};

  private NDManager manager;
  private Params params;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    params = new Params(manager).add("w", 1f, -2f);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private void assertWeight(double... expected) {
    float[] actual = params.values(0);
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("w[%d]", i).isCloseTo(expected[i], within(2e-6));
    }
  }

  @Test
  void plainSgdSubtractsLrTimesGradient() {
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.1));
    params.step(sgd, 0.1, G1);
    assertWeight(0.95, -2.1);
    params.step(sgd, 0.5, G2); // the schedule's lr wins over the configured one
    assertWeight(1.075, -2.35);
    assertThat(sgd.steps()).isEqualTo(2);
    assertThat(sgd.saveState().slots()).isEmpty();
  }

  @Test
  void sgdMomentumStartsFromTheDecayedGradient() {
    Optimizer sgd =
        Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 0.1));
    // d1 = g1 + 0.1 w = [0.6, 0.8]; buf = d1; w = [0.94, -2.08]
    params.step(sgd, 0.1, G1);
    assertWeight(0.94, -2.08);
    // d2 = g2 + 0.1 w = [-0.156, 0.292]; buf = 0.9 buf + d2 = [0.384, 1.012]
    params.step(sgd, 0.1, G2);
    assertWeight(0.9016, -2.1812);
    assertThat(sgd.saveState().slots().get("w/momentum_buffer"))
        .containsExactly(new float[] {0.384f, 1.012f}, within(1e-6f));
  }

  @Test
  void sgdDampeningScalesLaterGradientsOnly() {
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.5));
    params.step(sgd, 0.1, G1); // buf = g1, undamped
    assertWeight(0.95, -2.1);
    // buf = 0.9 [0.5, 1] + 0.5 [-0.25, 0.5] = [0.325, 1.15]
    params.step(sgd, 0.1, G2);
    assertWeight(0.9175, -2.215);
  }

  @Test
  void sgdNesterovLooksAheadAlongTheBuffer() {
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", true));
    // buf = [0.5, 1]; d = g1 + 0.9 buf = [0.95, 1.9]
    params.step(sgd, 0.1, G1);
    assertWeight(0.905, -2.19);
    // buf = 0.9 buf + g2 = [0.2, 1.4]; d = g2 + 0.9 buf = [-0.07, 1.76]
    params.step(sgd, 0.1, G2);
    assertWeight(0.912, -2.366);
  }

  @Test
  void adamFirstStepMovesEachWeightByLrAndLaterStepsAreBiasCorrected() {
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.1));
    params.step(adam, 0.1, G1); // m^ = g, v^ = g^2: a step of lr * sign(g)
    assertWeight(0.9, -2.1);
    // m = [0.02, 0.14], v = [3.1225e-4, 1.249e-3], bc1 = 0.19, bc2 = 1.999e-3
    params.step(adam, 0.1, G2);
    assertWeight(0.8733662987, -2.1932179617);
    params.step(adam, 0.1, G3);
    assertWeight(0.8075551397, -2.2328884851);
    Map<String, float[]> slots = adam.saveState().slots();
    assertThat(slots.keySet()).containsExactly("w/exp_avg", "w/exp_avg_sq");
  }

  @Test
  void adamAddsWeightDecayToTheGradient() {
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.1, "weight_decay", 0.1));
    params.step(adam, 0.1, G1);
    assertWeight(0.9, -2.1);
    params.step(adam, 0.1, G2);
    assertWeight(0.8544413675, -2.1883622762);
    params.step(adam, 0.1, G3);
    assertWeight(0.7815043999, -2.1992737976);
  }

  @Test
  void adamwShrinksTheWeightBeforeTheUpdate() {
    Optimizer adamw = Optimizers.create("adamw", Map.of("lr", 0.1, "weight_decay", 0.1));
    params.step(adamw, 0.1, G1); // w (1 - 0.01) - 0.1 sign(g)
    assertWeight(0.89, -2.08);
    params.step(adamw, 0.1, G2);
    assertWeight(0.8544662987, -2.1524179617);
    params.step(adamw, 0.1, G3);
    assertWeight(0.7801104767, -2.1705643055);
  }

  @Test
  void amsgradNormalisesByTheLargestSecondMoment() {
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.1, "amsgrad", true));
    float[] small = {0.01f, 0.01f};
    params.step(adam, 0.1, G1);
    params.step(adam, 0.1, small);
    assertWeight(0.8315394162, -2.1677164490); // plain Adam: 0.8315188687, -2.1677469420
    params.step(adam, 0.1, G3);
    assertWeight(0.7507344558, -2.1859570852);
    assertThat(adam.saveState().slots()).containsKey("w/max_exp_avg_sq");
  }

  @Test
  void novogradNormalisesByTheRunningGradientNorm() {
    Optimizer novograd = Optimizers.create("novograd", Map.of("lr", 0.1));
    // v = |g1|^2 = 1.25; m = g1 / sqrt(1.25)
    params.step(novograd, 0.1, G1);
    assertWeight(0.9552786409, -2.0894427183);
    // v = 0.98 * 1.25 + 0.02 * 0.3125 = 1.23125; m = 0.95 m + g2 / sqrt(v)
    params.step(novograd, 0.1, G2);
    assertWeight(0.9353236449, -2.2194738912);
    params.step(novograd, 0.1, G3);
    assertWeight(0.8262589387, -2.2979497754);
    assertThat(novograd.saveState().slots().get("w/exp_avg_sq"))
        .containsExactly(new float[] {0.98f * 1.23125f + 0.02f * 1.25f}, within(1e-6f));
  }

  @Test
  void novogradAddsWeightDecayAfterNormalisingAndAveragesTheGradient() {
    Optimizer novograd =
        Optimizers.create(
            "novograd", Map.of("lr", 0.1, "weight_decay", 0.1, "grad_averaging", true));
    // m = 0.05 (g1 / sqrt(1.25) + 0.1 w)
    params.step(novograd, 0.1, G1);
    assertWeight(0.9972639320, -2.0034721359);
    params.step(novograd, 0.1, G2);
    assertWeight(0.9952925503, -2.0080219585);
    params.step(novograd, 0.1, G3);
    assertWeight(0.9884167183, -2.0090875925);
  }

  @Test
  void novogradStartsItsSecondMomentAtTheFirstNonzeroNorm() {
    Optimizer novograd = Optimizers.create("novograd", Map.of("lr", 0.1));
    params.step(novograd, 0.1, new float[] {0f, 0f});
    assertWeight(1, -2);
    params.step(novograd, 0.1, G1); // as if it were the first step: v = 1.25, not 0.02 * 1.25
    assertWeight(0.9552786409, -2.0894427183);
  }

  @Test
  void gradientsAreLeftUnchanged() {
    for (String name : List.of("sgd", "adam", "adamw", "novograd")) {
      Optimizer optimizer =
          Optimizers.create(name, name.equals("sgd") ? Map.of("momentum", 0.9) : Map.of());
      var grad = manager.create(new float[] {0.5f, 1f});
      optimizer.step(params.names, params.weights, List.of(grad), 0.1);
      optimizer.step(params.names, params.weights, List.of(grad), 0.1);
      assertThat(grad.toFloatArray()).as(name).containsExactly(0.5f, 1f);
      optimizer.close();
    }
  }
}
