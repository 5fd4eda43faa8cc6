package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizersTest {

  @Test
  void namesAreNemosLowerCaseOptimizerNames() {
    assertThat(Optimizers.NAMES).containsExactly("adam", "adamw", "novograd", "sgd");
  }

  @Test
  void everyOptimizerDefaultsToLrOneInAThousand() {
    for (String name : Optimizers.NAMES) {
      Optimizer optimizer = Optimizers.create(name, null);
      assertThat(optimizer.name()).isEqualTo(name);
      assertThat(optimizer.baseLr()).isEqualTo(1e-3);
      assertThat(optimizer.steps()).isZero();
    }
  }

  @Test
  void lrMayBeAStringAsYaml11ReadsIt() {
    assertThat(Optimizers.create("adam", Map.of("lr", "3e-4")).baseLr()).isEqualTo(3e-4);
  }

  @Test
  void nameAndSchedKeysOfTheOptimSectionAreIgnored() {
    Map<String, Object> section =
        Map.of("name", "adamw", "lr", 0.01, "sched", Map.of("name", "CosineAnnealing"));
    assertThat(Optimizers.create("adamw", section).baseLr()).isEqualTo(0.01);
  }

  @Test
  void adamwDecaysByOnePercentByDefaultAndAdamNotAtAll() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Params adamwParams = new Params(manager).add("w", 1f);
      Params adamParams = new Params(manager).add("w", 1f);
      adamwParams.step(Optimizers.create("adamw", Map.of()), 0.1, new float[] {1f});
      adamParams.step(Optimizers.create("adam", Map.of()), 0.1, new float[] {1f});
      assertThat(adamwParams.values(0)[0]).isCloseTo(1f * (1 - 0.1f * 0.01f) - 0.1f, within(1e-6f));
      assertThat(adamParams.values(0)[0]).isCloseTo(0.9f, within(1e-6f));
    }
  }

  @Test
  void unknownArgumentIsRejectedWithTheValidOnes() {
    assertThatThrownBy(() -> Optimizers.create("adam", Map.of("lr", 0.1, "momentum", 0.9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create optimizer adam: unknown argument 'momentum'; it takes amsgrad, betas,"
                + " eps, lr, weight_decay");
    assertThatThrownBy(() -> Optimizers.create("sgd", Map.of("betas", List.of(0.9, 0.99))))
        .hasMessage(
            "Cannot create optimizer sgd: unknown argument 'betas'; it takes dampening, lr,"
                + " momentum, nesterov, weight_decay");
    assertThatThrownBy(() -> Optimizers.create("novograd", Map.of("luc", true)))
        .hasMessage(
            "Cannot create optimizer novograd: unknown argument 'luc'; it takes amsgrad, betas,"
                + " eps, grad_averaging, lr, weight_decay");
  }

  @Test
  void unknownOptimizerNamesTheValidOnes() {
    assertThatThrownBy(() -> Optimizers.create("lamb", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create optimizer lamb: unknown optimizer; valid names are adam, adamw,"
                + " novograd, sgd");
    assertThatThrownBy(() -> Optimizers.create("Adam", Map.of()))
        .hasMessageStartingWith("Cannot create optimizer Adam: unknown optimizer");
  }

  @Test
  void illTypedArgumentsAreRejectedWithTheirValue() {
    assertThatThrownBy(() -> Optimizers.create("sgd", Map.of("lr", "fast")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create optimizer sgd: lr must be a number, got 'fast'");
    assertThatThrownBy(() -> Optimizers.create("adam", Map.of("amsgrad", "yes")))
        .hasMessage("Cannot create optimizer adam: amsgrad must be true or false, got 'yes'");
    assertThatThrownBy(() -> Optimizers.create("adam", Map.of("betas", 0.9)))
        .hasMessage("Cannot create optimizer adam: betas must be a list of 2 numbers, got 0.9");
    assertThatThrownBy(() -> Optimizers.create("adam", Map.of("betas", List.of(0.9, 0.99, 0.999))))
        .hasMessage(
            "Cannot create optimizer adam: betas must be a list of 2 numbers, got [0.9, 0.99,"
                + " 0.999]");
  }

  @Test
  void outOfRangeValuesAreRejectedAsTorchDoes() {
    assertThatThrownBy(() -> Optimizers.create("sgd", Map.of("lr", -0.1)))
        .hasMessage("Cannot create optimizer sgd: lr must be a finite number >= 0, got -0.1");
    assertThatThrownBy(() -> Optimizers.create("adamw", Map.of("betas", List.of(1.0, 0.999))))
        .hasMessage(
            "Cannot create optimizer adamw: betas must each be in [0, 1), got [1.0, 0.999]");
    assertThatThrownBy(() -> Optimizers.create("novograd", Map.of("eps", -1e-8)))
        .hasMessage(
            "Cannot create optimizer novograd: eps must be a finite number >= 0, got -1.0E-8");
    assertThatThrownBy(() -> Optimizers.create("sgd", Map.of("nesterov", true)))
        .hasMessage(
            "Cannot create optimizer sgd: nesterov needs momentum > 0 and dampening 0, got"
                + " momentum 0.0 and dampening 0.0");
    Map<String, Object> damped = new HashMap<>(Map.of("momentum", 0.9, "nesterov", true));
    damped.put("dampening", 0.1);
    assertThatThrownBy(() -> Optimizers.create("sgd", damped))
        .hasMessage(
            "Cannot create optimizer sgd: nesterov needs momentum > 0 and dampening 0, got"
                + " momentum 0.9 and dampening 0.1");
  }

  @Test
  void nullValuesCountAsAbsent() {
    Map<String, Object> args = new HashMap<>();
    args.put("lr", null);
    args.put("weight_decay", null);
    assertThat(Optimizers.create("sgd", args).baseLr()).isEqualTo(1e-3);
  }
}
