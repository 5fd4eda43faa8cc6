package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmaTest {
  private static final List<String> NAMES = List.of("w", "b");
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private List<NDArray> weights(float w0, float w1, float b) {
    return List.of(manager.create(new float[] {w0, w1}, new Shape(1, 2)), manager.create(b));
  }

  @Test
  void firstUpdateCopiesTheWeightsThenEachStepAverages() {
    try (Ema ema = new Ema(0.9, 1)) {
      assertThat(ema.initialized()).isFalse();
      ema.update(0, NAMES, weights(1f, 2f, -1f));
      assertThat(ema.weights().get("w")).containsExactly(1f, 2f);
      ema.update(1, NAMES, weights(3f, 4f, 1f)); // 0.9 * old + 0.1 * new
      assertThat(ema.weights().get("w")).containsExactly(new float[] {1.2f, 2.2f}, within(1e-6f));
      assertThat(ema.weights().get("b")).containsExactly(new float[] {-0.8f}, within(1e-6f));
      assertThat(ema.weights().keySet()).containsExactly("w", "b");
    }
  }

  @Test
  void initBeforeTheFirstStepAveragesFromStepZeroAsNemoDoes() {
    try (Ema ema = new Ema(0.5, 1)) {
      ema.init(NAMES, weights(0f, 0f, 0f));
      ema.update(0, NAMES, weights(2f, 4f, 8f));
      assertThat(ema.weights().get("w")).containsExactly(1f, 2f);
      assertThat(ema.weights().get("b")).containsExactly(4f);
    }
  }

  @Test
  void averagesOnlyOnStepsThatAreMultiplesOfEveryNSteps() {
    try (Ema ema = new Ema(0.5, 3)) {
      ema.init(NAMES, weights(0f, 0f, 0f));
      ema.update(0, NAMES, weights(8f, 8f, 8f)); // 0 % 3 == 0
      assertThat(ema.weights().get("b")).containsExactly(4f);
      ema.update(1, NAMES, weights(100f, 100f, 100f));
      ema.update(2, NAMES, weights(100f, 100f, 100f));
      assertThat(ema.weights().get("b")).containsExactly(4f);
      ema.update(3, NAMES, weights(0f, 0f, 0f));
      assertThat(ema.weights().get("b")).containsExactly(2f);
    }
  }

  @Test
  void averagesAreCopiesNotViewsOfTheWeights() {
    try (Ema ema = new Ema(0.5, 1)) {
      List<NDArray> live = weights(1f, 1f, 1f);
      ema.update(0, NAMES, live);
      live.get(1).addi(10f);
      assertThat(ema.weights().get("b")).containsExactly(1f);
    }
  }

  @Test
  void loadedAveragesContinueExactlyAsTheSavedOnes() {
    try (Ema original = new Ema(0.75, 1);
        Ema resumed = new Ema(0.75, 1)) {
      original.update(0, NAMES, weights(1f, 2f, 3f));
      original.update(1, NAMES, weights(0.3f, -0.7f, 0.11f));
      LinkedHashMap<String, float[]> saved = original.weights();
      resumed.load(saved, manager);
      assertThat(resumed.weights().get("w")).containsExactly(saved.get("w"));
      original.update(2, NAMES, weights(5f, 6f, 7f));
      resumed.update(2, NAMES, weights(5f, 6f, 7f));
      assertThat(resumed.weights().get("w")).containsExactly(original.weights().get("w"));
      assertThat(resumed.weights().get("b")).containsExactly(original.weights().get("b"));
    }
  }

  @Test
  void updateWithOtherParametersFails() {
    try (Ema ema = new Ema(0.9, 1)) {
      ema.update(0, NAMES, weights(1f, 2f, 3f));
      assertThatThrownBy(() -> ema.update(1, List.of("w", "c"), weights(1f, 2f, 3f)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot update EMA: parameters [w, c] differ from the averaged [w, b]");
    }
  }

  @Test
  void loadedAverageOfTheWrongSizeFailsOnFirstUpdate() {
    try (Ema ema = new Ema(0.9, 1)) {
      LinkedHashMap<String, float[]> saved = new LinkedHashMap<>();
      saved.put("w", new float[] {1f, 2f, 3f});
      saved.put("b", new float[] {1f});
      ema.load(saved, manager);
      assertThatThrownBy(() -> ema.update(5, NAMES, weights(1f, 2f, 3f)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot update EMA: the loaded average of 'w' has 3 values, the weight has shape"
                  + " (1, 2)");
    }
  }

  @Test
  void settingsOutOfRangeAreRejected() {
    assertThatThrownBy(() -> new Ema(1.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create EMA: decay must be between 0 and 1, got 1.5");
    assertThatThrownBy(() -> new Ema(0.999, 0))
        .hasMessage("Cannot create EMA: every_n_steps must be >= 1, got 0");
  }
}
