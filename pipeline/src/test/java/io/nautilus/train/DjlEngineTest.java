package io.nautilus.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class DjlEngineTest {

  @Test
  void pytorchLoadsOfflineFromTheClasspathAndComputesGradients() {
    Engine engine = Engine.getEngine("PyTorch");
    assertThat(engine.getVersion()).isEqualTo("2.7.1");
    try (NDManager m = engine.newBaseManager()) {
      NDArray x = m.create(new float[] {1f, 2f, 3f});
      x.setRequiresGradient(true);
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray y = x.mul(x).sum();
        gc.backward(y);
      }
      assertThat(x.getGradient().toFloatArray()).containsExactly(2f, 4f, 6f);
    }
  }
}
