package io.nautilus.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AllReduceTest {

  static Stream<Arguments> worldsAndLengths() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (int w = 1; w <= 4; w++) {
      for (int length : new TreeSet<>(List.of(0, 1, w - 1, w + 1, 1_000_003))) {
        cases.add(Arguments.of(w, length));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "W={0} length={1}")
  @MethodSource("worldsAndLengths")
  void sumIsBitIdenticalOnEveryRankAndExactlyTheDocumentedOrder(int world, int length) {
    float[][] inputs = RingReference.randomInputs(world, length, 1000L * world + length);
    float[] expected = RingReference.ringOrderSum(inputs);
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                float[] data = inputs[rank].clone();
                g.allReduceSum(data);
                return data;
              });
      for (int rank = 0; rank < world; rank++) {
        assertThat(RingReference.bits(results.get(rank)))
            .as("rank %d", rank)
            .isEqualTo(RingReference.bits(expected));
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {3, 4})
  void theOrderMattersForThisDataSoExactnessIsAMeaningfulCheck(int world) {
    float[][] inputs = RingReference.randomInputs(world, 10_000, 7);
    float[] ring = RingReference.ringOrderSum(inputs);
    float[] rankOrder = new float[ring.length];
    for (int i = 0; i < ring.length; i++) {
      float s = inputs[0][i];
      for (int k = 1; k < world; k++) {
        s += inputs[k][i];
      }
      rankOrder[i] = s;
    }
    assertThat(RingReference.bits(ring)).isNotEqualTo(RingReference.bits(rankOrder));
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {2, 3})
  void manySmallSegmentsStreamTheSameResult(int world) {
    int length = 1_000_003;
    float[][] inputs = RingReference.randomInputs(world, length, 99);
    float[] expected = RingReference.ringOrderSum(inputs);
    GroupOptions small =
        GroupOptions.builder()
            .optSegmentBytes(4096)
            .optOpTimeout(Duration.ofSeconds(10))
            .optConnectTimeout(Duration.ofSeconds(10))
            .build();
    List<ProcessGroup> groups = Ranks.connect(world, small);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                float[] data = inputs[rank].clone();
                g.allReduceSum(data);
                return data;
              });
      for (float[] r : results) {
        assertThat(RingReference.bits(r)).isEqualTo(RingReference.bits(expected));
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {1, 3})
  void meanIsTheSumDividedByTheWorldSize(int world) {
    float[][] inputs = RingReference.randomInputs(world, 1001, 5);
    float[] expected = RingReference.ringOrderSum(inputs);
    for (int i = 0; i < expected.length; i++) {
      expected[i] /= world;
    }
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                float[] data = inputs[rank].clone();
                g.allReduceMean(data);
                return data;
              });
      for (float[] r : results) {
        assertThat(RingReference.bits(r)).isEqualTo(RingReference.bits(expected));
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {1, 2, 4})
  void directBufferGivesTheSameBitsAsTheArrayAndKeepsPositionAndLimit(int world) {
    int length = 100_003;
    float[][] inputs = RingReference.randomInputs(world, length, 11);
    float[] expected = RingReference.ringOrderSum(inputs);
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                // Floats at [3, 3 + length) of a larger little-endian direct buffer.
                ByteBuffer buf =
                    ByteBuffer.allocateDirect(4 * (length + 5)).order(ByteOrder.LITTLE_ENDIAN);
                FloatBuffer floats = buf.asFloatBuffer();
                floats.put(3, inputs[rank]);
                floats.put(0, -1f).put(1, -1f).put(2, -1f).put(length + 3, -2f);
                floats.put(length + 4, -2f);
                buf.position(12).limit(12 + 4 * length);
                g.allReduceSum(buf);
                assertThat(buf.position()).isEqualTo(12);
                assertThat(buf.limit()).isEqualTo(12 + 4 * length);
                assertThat(new float[] {floats.get(0), floats.get(1), floats.get(2)})
                    .containsExactly(-1f, -1f, -1f);
                assertThat(new float[] {floats.get(length + 3), floats.get(length + 4)})
                    .containsExactly(-2f, -2f);
                float[] out = new float[length];
                floats.get(3, out);
                return out;
              });
      for (float[] r : results) {
        assertThat(RingReference.bits(r)).isEqualTo(RingReference.bits(expected));
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  /** Frames large enough to fill the sockets, so writes end part-way (this caught a race). */
  @Test
  void repeatedDirectBufferReductionsStayExactWhenSocketsFillUp() {
    int segment = 1 << 20;
    int world = 4;
    int length = 4_000_003;
    float[][] inputs = RingReference.randomInputs(world, length, 17);
    GroupOptions options =
        GroupOptions.builder()
            .optSegmentBytes(segment)
            .optOpTimeout(Duration.ofSeconds(10))
            .optConnectTimeout(Duration.ofSeconds(10))
            .build();
    List<ProcessGroup> groups = Ranks.connect(world, options);
    try {
      List<List<int[]>> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                ByteBuffer buf =
                    ByteBuffer.allocateDirect(4 * length).order(ByteOrder.LITTLE_ENDIAN);
                FloatBuffer floats = buf.asFloatBuffer();
                floats.put(0, inputs[rank]);
                List<int[]> rounds = new java.util.ArrayList<>();
                for (int round = 0; round < 3; round++) {
                  g.allReduceSum(buf);
                  float[] out = new float[length];
                  floats.get(0, out);
                  rounds.add(RingReference.bits(out));
                  // Different data per rank again for the next round.
                  floats.put(rank, floats.get(rank) + 1f);
                }
                return rounds;
              });
      float[][] current = new float[world][];
      for (int r = 0; r < world; r++) {
        current[r] = inputs[r].clone();
      }
      for (int round = 0; round < 3; round++) {
        float[] expected = RingReference.ringOrderSum(current);
        for (int r = 0; r < world; r++) {
          assertThat(results.get(r).get(round))
              .as("rank %d round %d", r, round)
              .isEqualTo(RingReference.bits(expected));
          current[r] = expected.clone();
          current[r][r] += 1f;
        }
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {2, 3})
  void offsetAndLengthReduceOnlyThatRegion(int world) {
    int length = 1003;
    float[][] inputs = RingReference.randomInputs(world, length, 13);
    float[] expected = RingReference.ringOrderSum(inputs);
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                float[] data = new float[length + 20];
                Arrays.fill(data, rank + 0.5f);
                System.arraycopy(inputs[rank], 0, data, 7, length);
                g.allReduceSum(data, 7, length);
                return data;
              });
      for (int rank = 0; rank < world; rank++) {
        float[] r = results.get(rank);
        assertThat(RingReference.bits(Arrays.copyOfRange(r, 7, 7 + length)))
            .isEqualTo(RingReference.bits(expected));
        assertThat(Arrays.copyOfRange(r, 0, 7)).containsOnly(rank + 0.5f);
        assertThat(Arrays.copyOfRange(r, 7 + length, r.length)).containsOnly(rank + 0.5f);
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {2, 4})
  void repeatedOperationsOnOneGroupStayInStep(int world) {
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                float[] data = new float[777];
                Arrays.fill(data, 1f);
                for (int i = 0; i < 50; i++) {
                  data[i] += rank;
                  g.allReduceMean(data);
                }
                return data;
              });
      for (float[] r : results) {
        assertThat(RingReference.bits(r)).isEqualTo(RingReference.bits(results.get(0)));
      }
      assertThat(results.get(0)[600]).isEqualTo(1f);
      // Element 49 got 0 + 1 + … + (W-1) added once, then averaged.
      assertThat(results.get(0)[49]).isEqualTo(1f + (world - 1) / 2f);
    } finally {
      Ranks.closeAll(groups);
    }
  }
}
