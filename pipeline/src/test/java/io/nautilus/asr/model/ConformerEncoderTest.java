package io.nautilus.asr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.nautilus.train.engine.ParamSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConformerEncoderTest {
  private static int threads;

  // See ConvOverfitTest: two intra-op threads on a busy shared CPU spin against each other.
  @BeforeAll
  static void oneThread() {
    threads = TestNets.setTorchThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    TestNets.setTorchThreads(threads);
  }

  private static ConformerConfig config(int subsamplingFactor) {
    Map<String, Object> encoder = TestNets.conformer("batch_norm");
    encoder.put("subsampling_factor", subsamplingFactor);
    return (ConformerConfig) EncoderConfig.fromMap(encoder);
  }

  @Test
  void lengthFollowsNemoCalcLengthForStriding() {
    ConformerConfig x4 = config(4);
    // Each 3x3 stride-2 conv with padding 1: floor((L + 2 - 3) / 2) + 1.
    long[][] cases = {{0, 0}, {1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 2}, {7, 2}, {8, 2}, {9, 3}};
    for (long[] c : cases) {
      assertThat(x4.outputLength(c[0])).as("L = %d", c[0]).isEqualTo(c[1]);
    }
    assertThat(x4.outputLength(800)).isEqualTo(200);
    assertThat(x4.outputLength(801)).isEqualTo(201);
    assertThat(x4.outputLength(1601)).isEqualTo(401);
    ConformerConfig x8 = config(8);
    assertThat(x8.subsamplingLayers()).isEqualTo(3);
    assertThat(x8.outputLength(801)).isEqualTo(101);
    assertThat(x8.outputLength(17)).isEqualTo(3);
  }

  @Test
  void outputShapesAndLengthsMatchTheLengthFormula() {
    AsrNetwork net = TestNets.network(TestNets.conformer("batch_norm"));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TestNets.initialize(net, manager, 3);
      for (long frames : new long[] {1, 4, 5, 33, 100}) {
        long shorter = Math.max(1, frames - 3);
        NDArray x = TestNets.noise(manager, frames, 2, TestNets.FEATURES, frames);
        NDList out = TestNets.forward(net, x, new long[] {shorter, frames}, false);
        long expected = net.outputLength(frames);
        assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, expected, 29));
        assertThat(out.get(1).toLongArray()).containsExactly(net.outputLength(shorter), expected);
        float[] probabilitySums = out.get(0).exp().sum(new int[] {2}).toFloatArray();
        for (float sum : probabilitySums) {
          assertThat(sum).isCloseTo(1f, within(1e-5f));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"batch_norm", "layer_norm"})
  void paddedFramesDoNotChangeAnUtterancesOutputsInEvalMode(String normType) {
    AsrNetwork net = TestNets.network(TestNets.conformer(normType));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TestNets.initialize(net, manager, 13);
      // One training pass moves the BatchNorm running statistics away from 0 and 1.
      TestNets.forward(
          net, TestNets.noise(manager, 1, 3, TestNets.FEATURES, 40), new long[] {40, 31, 17}, true);
      NDArray longer = TestNets.noise(manager, 2, 1, TestNets.FEATURES, 64);
      NDArray shortAlone = TestNets.noise(manager, 3, 1, TestNets.FEATURES, 37);
      NDArray garbage = TestNets.noise(manager, 4, 1, TestNets.FEATURES, 27).mul(50f);
      NDList batched =
          TestNets.forward(
              net, longer.concat(shortAlone.concat(garbage, 2), 0), new long[] {64, 37}, false);
      NDList alone = TestNets.forward(net, shortAlone, new long[] {37}, false);
      assertThat(alone.get(1).toLongArray()).containsExactly(10L);
      assertThat(batched.get(1).toLongArray()).containsExactly(16L, 10L);
      float[] expected = alone.get(0).toFloatArray();
      float[] actual = batched.get(0).get(new NDIndex("1, 0:10, :")).toFloatArray();
      assertThat(actual).hasSize(expected.length);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }

  @Test
  void parameterNamesAreUniqueAndTheSameAcrossBuilds() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      AsrNetwork net = TestNets.network(TestNets.conformer("batch_norm"));
      ParamSet first = TestNets.initialize(net, manager, 1);
      ParamSet second =
          TestNets.initialize(TestNets.network(TestNets.conformer("batch_norm")), manager, 1);
      assertThat(first.names()).doesNotHaveDuplicates().isEqualTo(second.names());
      assertThat(first.names())
          .contains(
              "01encoder_01pre_encode_01conv0_weight",
              "01encoder_02layer0_04self_attn_01linear_q_weight",
              "01encoder_03layer1_06conv_02depthwise_conv_weight",
              "01encoder_03layer1_09norm_out_gamma");
      assertThat(first.toHost()).containsOnlyKeys(first.names());
      assertThat(net.runningStatistics().keySet())
          .containsExactly(
              "01encoder_02layer0_06conv_03batch_norm_runningMean",
              "01encoder_02layer0_06conv_03batch_norm_runningVar",
              "01encoder_03layer1_06conv_03batch_norm_runningMean",
              "01encoder_03layer1_06conv_03batch_norm_runningVar");
    }
  }
}
