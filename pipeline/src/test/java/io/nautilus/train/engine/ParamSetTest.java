package io.nautilus.train.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamSetTest {

  @Test
  void initializeStartsNormScalesAtOneAndBiasesAtZero() {
    SequentialBlock block =
        new SequentialBlock()
            .add(Linear.builder().setUnits(4).build())
            .add(LayerNorm.builder().axis(1).build())
            .add(BatchNorm.builder().build());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
      ParamSet params = ParamSet.of(block);
      params.initialize(42);
      Map<String, float[]> host = params.toHost();
      assertThat(host.keySet())
          .containsExactly(
              "01Linear_weight",
              "01Linear_bias",
              "02LayerNorm_gamma",
              "02LayerNorm_beta",
              "03BatchNorm_gamma",
              "03BatchNorm_beta");
      assertThat(host.get("02LayerNorm_gamma")).containsOnly(1f);
      assertThat(host.get("03BatchNorm_gamma")).containsOnly(1f);
      assertThat(host.get("01Linear_bias")).containsOnly(0f);
      assertThat(host.get("02LayerNorm_beta")).containsOnly(0f);
      // Xavier uniform bound for fan-in 3, fan-out 4: sqrt(6 / 7).
      float[] weight = host.get("01Linear_weight");
      assertThat(weight).hasSize(12).doesNotContain(0f);
      for (float v : weight) {
        assertThat(Math.abs(v)).isLessThanOrEqualTo(0.9258201f);
      }
    }
  }
}
