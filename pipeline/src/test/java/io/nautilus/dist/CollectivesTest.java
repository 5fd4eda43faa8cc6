package io.nautilus.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CollectivesTest {

  static Stream<Arguments> worldsRootsAndLengths() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (int w = 1; w <= 4; w++) {
      for (int root : new int[] {0, w - 1}) {
        for (int length : new int[] {0, 1, 1_000_003}) {
          cases.add(Arguments.of(w, root, length));
        }
      }
    }
    return cases.build().distinct();
  }

  @ParameterizedTest(name = "W={0} root={1} length={2}")
  @MethodSource("worldsRootsAndLengths")
  void broadcastCopiesTheRootsArrayToEveryRank(int world, int root, int length) {
    float[][] inputs = RingReference.randomInputs(world, length, 31L * world + root);
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                float[] data = inputs[rank].clone();
                g.broadcast(data, root);
                return data;
              });
      for (float[] r : results) {
        assertThat(RingReference.bits(r)).isEqualTo(RingReference.bits(inputs[root]));
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {2, 3})
  void broadcastOfADirectBufferFromTheLastRank(int world) {
    int length = 300_001;
    float[][] inputs = RingReference.randomInputs(world, length, 5);
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<float[]> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                ByteBuffer buf =
                    ByteBuffer.allocateDirect(4 * length).order(ByteOrder.LITTLE_ENDIAN);
                FloatBuffer floats = buf.asFloatBuffer();
                floats.put(0, inputs[rank]);
                g.broadcast(buf, world - 1);
                float[] out = new float[length];
                floats.get(0, out);
                return out;
              });
      for (float[] r : results) {
        assertThat(RingReference.bits(r)).isEqualTo(RingReference.bits(inputs[world - 1]));
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void allGatherReturnsEveryRanksItemInRankOrder(int world) {
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<List<byte[]>> results = Ranks.values(groups, (rank, g) -> g.allGather(item(rank)));
      for (List<byte[]> gathered : results) {
        assertThat(gathered).hasSize(world);
        for (int rank = 0; rank < world; rank++) {
          assertThat(gathered.get(rank)).isEqualTo(item(rank));
        }
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  /** Rank 1's item is empty and rank 2's spans many segments, so sizes differ widely. */
  private static byte[] item(int rank) {
    if (rank == 1) {
      return new byte[0];
    }
    int size = rank == 2 ? 3_000_017 : 5 + rank;
    byte[] item = new byte[size];
    for (int i = 0; i < size; i++) {
      item[i] = (byte) (31 * rank + i);
    }
    return item;
  }

  @Test
  void allGatherCarriesRendezvousStyleStrings() {
    List<ProcessGroup> groups = Ranks.connect(3);
    try {
      List<List<byte[]>> results =
          Ranks.values(
              groups,
              (rank, g) ->
                  g.allGather(("host-" + rank + ":700" + rank).getBytes(StandardCharsets.UTF_8)));
      for (List<byte[]> gathered : results) {
        List<String> text = new ArrayList<>();
        for (byte[] b : gathered) {
          text.add(new String(b, StandardCharsets.UTF_8));
        }
        assertThat(text).containsExactly("host-0:7000", "host-1:7001", "host-2:7002");
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @ParameterizedTest(name = "W={0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void scalarReductionsFoldInRankOrderWithTheSameBitsEverywhere(int world) {
    double[] values = {0.1, 1e16, -1e16, 0.3};
    double sum = values[0];
    double max = values[0];
    double min = values[0];
    for (int i = 1; i < world; i++) {
      sum += values[i];
      max = Math.max(max, values[i]);
      min = Math.min(min, values[i]);
    }
    double[] expected = {sum, max, min};
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<double[]> results =
          Ranks.values(
              groups,
              (rank, g) ->
                  new double[] {
                    g.allReduceScalar(values[rank]),
                    g.allReduceScalar(values[rank], ScalarOp.MAX),
                    g.allReduceScalar(values[rank], ScalarOp.MIN)
                  });
      for (double[] r : results) {
        assertThat(Arrays.stream(r).mapToLong(Double::doubleToRawLongBits).toArray())
            .isEqualTo(Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray());
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void maxTurnsOneRanksNanIntoNanEverywhere() {
    List<ProcessGroup> groups = Ranks.connect(3);
    try {
      List<Double> results =
          Ranks.values(
              groups, (rank, g) -> g.allReduceScalar(rank == 1 ? Double.NaN : rank, ScalarOp.MAX));
      assertThat(results).allMatch(d -> Double.isNaN(d));
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void noRankLeavesTheBarrierBeforeTheLastArrives() {
    List<ProcessGroup> groups = Ranks.connect(3);
    try {
      long[] arrivedLate = new long[1];
      List<Long> left =
          Ranks.values(
              groups,
              (rank, g) -> {
                if (rank == 2) {
                  Thread.sleep(300);
                  arrivedLate[0] = System.nanoTime();
                }
                g.barrier();
                return System.nanoTime();
              });
      for (long t : left) {
        assertThat(t).isGreaterThan(arrivedLate[0]);
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void aSingleRankGroupNeedsNoSocketsAndReturnsItsOwnData() {
    try (ProcessGroup g =
        ProcessGroup.connect(0, List.of("127.0.0.1:1"), null, GroupOptions.defaults())) {
      float[] data = {1f, 2f, 3f};
      g.allReduceMean(data);
      g.broadcast(data, 0);
      assertThat(data).containsExactly(1f, 2f, 3f);
      assertThat(g.allGather(new byte[] {7})).containsExactly(new byte[] {7});
      assertThat(g.allReduceScalar(2.5, ScalarOp.MAX)).isEqualTo(2.5);
      g.barrier();
      assertThat(g.worldSize()).isEqualTo(1);
      assertThat(g.rank()).isZero();
    }
  }

  @Test
  void aClosedGroupRefusesOperations() {
    ProcessGroup g = ProcessGroup.connect(0, List.of("127.0.0.1:1"), null, GroupOptions.defaults());
    g.close();
    assertThatThrownBy(() -> g.allReduceSum(new float[2]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot all-reduce of 2 floats (op 1): the process group of rank 0 (127.0.0.1:1) is"
                + " closed");
  }

  @Test
  void broadcastFromARankOutsideTheGroupIsRefused() {
    try (ProcessGroup g =
        ProcessGroup.connect(0, List.of("127.0.0.1:1"), null, GroupOptions.defaults())) {
      assertThatThrownBy(() -> g.broadcast(new float[1], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot broadcast from rank 1: it must be in 0..0");
    }
  }

  @Test
  void buffersThatAreNotWholeLittleEndianFloatsAreRefused() {
    try (ProcessGroup g =
        ProcessGroup.connect(0, List.of("127.0.0.1:1"), null, GroupOptions.defaults())) {
      assertThatThrownBy(() -> g.allReduceSum(ByteBuffer.allocate(8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Cannot all-reduce the buffer: it is big-endian; the ring carries little-endian"
                  + " floats (set order(ByteOrder.LITTLE_ENDIAN) if the data is)");
      assertThatThrownBy(
              () -> g.allReduceSum(ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot all-reduce the buffer: its 6 remaining bytes are not whole floats");
      assertThatThrownBy(
              () ->
                  g.broadcast(
                      ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer(), 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot broadcast the buffer: it is read-only");
    }
  }
}
