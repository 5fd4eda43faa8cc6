package io.nautilus.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigLoader;
import io.nautilus.train.engine.Autograd;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrecisionTest {
  private static final Path CONF = Path.of("..", "conf", "train", "char_lm.yaml");

  private static TrainOptions load(String precision) {
    return TrainConfig.options(
        ConfigLoader.load(
            TrainConfig.SCHEMA,
            CONF,
            List.of("model.train_ds.shards=[/data/x]", "trainer.precision=" + precision)));
  }

  @Test
  void thirtyTwoBitLoadsAndHalfPrecisionIsRefusedWithTheEngineReason() {
    assertThat(load("32").precision()).isEqualTo("32");
    for (String p : List.of("bf16", "bf16-mixed", "16-mixed")) {
      assertThatThrownBy(() -> load(p))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("Cannot load config: trainer.precision=" + p + " cannot run")
          .hasMessageContaining("toType() cuts the autograd graph")
          .hasMessageContaining("use 32");
    }
    assertThatThrownBy(() -> load("64"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot load config: trainer.precision must be 32, got '64'");
  }

  /**
   * The reason given for refusing 16-bit training, pinned: if a DJL upgrade makes a cast keep its
   * gradient, this fails, and mixed precision can be built (see TrainConfig).
   */
  @Test
  void djlCastsCutTheAutogradGraph() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray w = m.create(new float[] {1f, 2f});
      w.setRequiresGradient(true);
      try (Autograd recording = Autograd.record()) {
        NDArray cast = w.mul(w).toType(DataType.FLOAT64, false).sum();
        assertThatThrownBy(() -> recording.backward(cast))
            .hasMessageContaining("does not require grad and does not have a grad_fn");
        recording.backward(w.mul(w).sum());
      }
      assertThat(w.getGradient().toFloatArray()).containsExactly(2f, 4f);
    }
  }
}
