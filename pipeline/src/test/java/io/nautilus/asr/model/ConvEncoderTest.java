package io.nautilus.asr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.nautilus.train.engine.ParamSet;
import org.junit.jupiter.api.Test;

class ConvEncoderTest {

  @Test
  void blockLengthFollowsNemoConvolutionRulePerSubBlock() {
    ConvBlockConfig strided = new ConvBlockConfig(8, 1, 11, 2, 1, 0, false, true);
    // floor((L + 2*5 - 10 - 1) / 2) + 1
    assertThat(strided.outputLength(1)).isEqualTo(1);
    assertThat(strided.outputLength(2)).isEqualTo(1);
    assertThat(strided.outputLength(3)).isEqualTo(2);
    assertThat(strided.outputLength(100)).isEqualTo(50);
    assertThat(strided.outputLength(801)).isEqualTo(401);
    assertThat(strided.outputLength(0)).isEqualTo(0);
    ConvBlockConfig twice = new ConvBlockConfig(8, 2, 3, 2, 1, 0, false, false);
    assertThat(twice.outputLength(801)).isEqualTo(201);
    ConvBlockConfig dilated = new ConvBlockConfig(8, 3, 5, 1, 2, 0, true, true);
    assertThat(dilated.padding()).isEqualTo(4);
    assertThat(dilated.outputLength(37)).isEqualTo(37);
  }

  @Test
  void outputShapesAndLengthsFollowTheStridedFirstBlock() {
    AsrNetwork net = TestNets.network(TestNets.conv());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TestNets.initialize(net, manager, 7);
      for (long frames : new long[] {1, 2, 9, 40, 101}) {
        NDArray x = TestNets.noise(manager, frames, 3, TestNets.FEATURES, frames);
        long shorter = Math.max(1, frames / 2);
        NDList out = TestNets.forward(net, x, new long[] {frames, shorter, 1}, false);
        long expected = (frames - 1) / 2 + 1;
        assertThat(out.get(0).getShape()).isEqualTo(new Shape(3, expected, 29));
        assertThat(out.get(1).toLongArray()).containsExactly(expected, (shorter - 1) / 2 + 1, 1L);
        assertThat(net.outputLength(frames)).isEqualTo(expected);
      }
    }
  }

  @Test
  void paddedFramesDoNotChangeAnUtterancesOutputsInEvalMode() {
    AsrNetwork net = TestNets.network(TestNets.conv());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TestNets.initialize(net, manager, 11);
      // One training pass moves the BatchNorm running statistics away from 0 and 1.
      TestNets.forward(
          net,
          TestNets.noise(manager, 1, 4, TestNets.FEATURES, 50),
          new long[] {50, 50, 30, 20},
          true);
      NDArray longer = TestNets.noise(manager, 2, 1, TestNets.FEATURES, 60);
      NDArray shortAlone = TestNets.noise(manager, 3, 1, TestNets.FEATURES, 37);
      NDArray garbage = TestNets.noise(manager, 4, 1, TestNets.FEATURES, 23).mul(50f);
      NDArray shortPadded = shortAlone.concat(garbage, 2);
      NDList batched =
          TestNets.forward(net, longer.concat(shortPadded, 0), new long[] {60, 37}, false);
      NDList alone = TestNets.forward(net, shortAlone, new long[] {37}, false);
      assertThat(alone.get(1).toLongArray()).containsExactly(19L);
      assertThat(batched.get(1).toLongArray()).containsExactly(30L, 19L);
      float[] expected = alone.get(0).toFloatArray();
      float[] actual = batched.get(0).get(new NDIndex("1, 0:19, :")).toFloatArray();
      assertThat(actual).hasSize(expected.length);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }

  @Test
  void parameterNamesAreUniqueAndTheSameAcrossBuilds() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ParamSet first = TestNets.initialize(TestNets.network(TestNets.conv()), manager, 1);
      ParamSet second = TestNets.initialize(TestNets.network(TestNets.conv()), manager, 1);
      assertThat(first.names()).doesNotHaveDuplicates().isEqualTo(second.names());
      assertThat(first.names())
          .startsWith("01encoder_01block0_01dw0_weight", "01encoder_01block0_02pw0_weight")
          .endsWith("02decoder_01linear_weight", "02decoder_01linear_bias");
      // 16x5 + 32x16 + 2x32 | 2x(32x5 + 32x32 + 2x32) + 32x32 + 2x32 | 48x32 + 2x48 | 29x48 + 29
      assertThat(first.totalFloats()).isEqualTo(656 + 3584 + 1632 + 1421);
      assertThat(first.toHost().get("01encoder_01block0_03bn0_gamma")).containsOnly(1f);
    }
  }
}
