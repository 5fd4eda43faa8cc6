package io.nautilus.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientBucketsTest {
  private static final String[] NAMES = {"a", "b", "c", "d", "e", "f", "g"};
  private static final int[] LENGTHS = {3, 4, 25, 2, 9, 1, 0};

  /** Ten floats per bucket. */
  private static GradientBuckets small() {
    GradientBuckets.Builder b = GradientBuckets.builder().optBucketBytes(40);
    for (int i = 0; i < NAMES.length; i++) {
      b.add(NAMES[i], LENGTHS[i]);
    }
    return b.build();
  }

  @Test
  void consecutiveParametersShareABucketAndAnOversizedOneGetsItsOwn() {
    assertThat(small().buckets())
        .containsExactly(
            new GradientBuckets.Bucket(0, 2, 7),
            new GradientBuckets.Bucket(2, 1, 25),
            new GradientBuckets.Bucket(3, 1, 2),
            new GradientBuckets.Bucket(4, 3, 10));
    assertThat(GradientBuckets.builder().build().bucketBytes()).isEqualTo(25 << 20);
  }

  /** Each bucket is one all-reduce, so the reference sums each bucket's flattened values. */
  private static List<float[]> expected(GradientBuckets plan, float[][][] inputs, int world) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      out.add(null);
    }
    for (GradientBuckets.Bucket b : plan.buckets()) {
      float[][] flat = new float[world][b.floats()];
      for (int r = 0; r < world; r++) {
        int at = 0;
        for (int i = b.first(); i < b.first() + b.count(); i++) {
          System.arraycopy(inputs[r][i], 0, flat[r], at, LENGTHS[i]);
          at += LENGTHS[i];
        }
      }
      float[] sum = RingReference.ringOrderSum(flat);
      int at = 0;
      for (int i = b.first(); i < b.first() + b.count(); i++) {
        float[] p = new float[LENGTHS[i]];
        System.arraycopy(sum, at, p, 0, LENGTHS[i]);
        for (int k = 0; k < p.length; k++) {
          p[k] /= world;
        }
        out.set(i, p);
        at += LENGTHS[i];
      }
    }
    return out;
  }

  @Test
  void bucketedMeanIsExactPerBucketAndBitIdenticalOnEveryRank() {
    int world = 3;
    float[][][] inputs = new float[world][NAMES.length][];
    for (int i = 0; i < NAMES.length; i++) {
      float[][] perRank = RingReference.randomInputs(world, LENGTHS[i], 100 + i);
      for (int r = 0; r < world; r++) {
        inputs[r][i] = perRank[r];
      }
    }
    List<float[]> expected = expected(small(), inputs, world);
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<List<float[]>> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                GradientBuckets plan = small();
                List<float[]> grads = new ArrayList<>();
                for (float[] p : inputs[rank]) {
                  grads.add(p.clone());
                }
                plan.allReduceMean(g, grads);
                return grads;
              });
      for (List<float[]> grads : results) {
        for (int i = 0; i < NAMES.length; i++) {
          assertThat(RingReference.bits(grads.get(i)))
              .as(NAMES[i])
              .isEqualTo(RingReference.bits(expected.get(i)));
        }
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void defaultBucketsSumAParameterLargerThan25MiBAndSmallOnesByName() {
    int world = 2;
    int big = 7_000_001;
    GradientBuckets plan =
        GradientBuckets.builder().add("bias", 10).add("embedding", big).add("norm", 3).build();
    assertThat(plan.buckets())
        .containsExactly(
            new GradientBuckets.Bucket(0, 1, 10),
            new GradientBuckets.Bucket(1, 1, big),
            new GradientBuckets.Bucket(2, 1, 3));
    List<ProcessGroup> groups = Ranks.connect(world);
    try {
      List<Map<String, float[]>> results =
          Ranks.values(
              groups,
              (rank, g) -> {
                Map<String, float[]> grads = new LinkedHashMap<>();
                grads.put("norm", filled(3, rank + 1));
                grads.put("embedding", filled(big, 0.5f * (rank + 1)));
                grads.put("bias", filled(10, -rank));
                plan.allReduceSum(g, grads);
                return grads;
              });
      for (Map<String, float[]> grads : results) {
        assertThat(grads.get("norm")).containsOnly(3f);
        assertThat(grads.get("embedding")).hasSize(big).containsOnly(1.5f);
        assertThat(grads.get("bias")).containsOnly(-1f);
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, value);
    return a;
  }

  @Test
  void ranksWithDifferentLayoutsFailNamingTheFirstDifference() {
    List<ProcessGroup> groups = Ranks.connect(3);
    try {
      List<Ranks.Outcome<Void>> outcomes =
          Ranks.run(
              groups,
              (rank, g) -> {
                GradientBuckets plan =
                    GradientBuckets.builder().add("w", 4).add("b", rank == 2 ? 5 : 4).build();
                plan.allReduceSum(g, List.of(new float[4], new float[rank == 2 ? 5 : 4]));
                return null;
              });
      for (Ranks.Outcome<Void> o : outcomes) {
        assertThat(o.error())
            .isInstanceOf(CollectiveException.class)
            .hasMessage(
                "Cannot all-reduce gradients: the ranks disagree on the parameter layout: rank 2"
                    + " has 'b' with 5 values where rank 0 has 'b' with 4 values (at line 2);"
                    + " every rank must list the same parameters in the same order with the same"
                    + " sizes and bucket size");
        assertThat(((CollectiveException) o.error()).failedRank()).isEqualTo(2);
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void gradientsThatDoNotMatchThePlanAreRefused() throws Exception {
    GradientBuckets plan = GradientBuckets.builder().add("w", 2).add("b", 1).build();
    try (ProcessGroup g =
        ProcessGroup.connect(0, List.of("127.0.0.1:1"), null, GroupOptions.defaults())) {
      assertThatThrownBy(() -> plan.allReduceMean(g, List.of(new float[2])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot all-reduce gradients: got 1 arrays for 2 parameters");
      assertThatThrownBy(() -> plan.allReduceMean(g, List.of(new float[2], new float[3])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot all-reduce gradients: 'b' has 3 values where the plan has 1");
      assertThatThrownBy(() -> plan.allReduceMean(g, Map.of("w", new float[2])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot all-reduce gradients: there is no gradient for 'b'");
      assertThatThrownBy(
              () ->
                  plan.allReduceMean(
                      g, Map.of("w", new float[2], "b", new float[1], "x", new float[1])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot all-reduce gradients: 'x' is not one of the planned parameters");
    }
    assertThatThrownBy(() -> GradientBuckets.builder().add("w", 1).add("w", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot add parameter 'w': it is already parameter 0");
    assertThatThrownBy(() -> GradientBuckets.builder().optBucketBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot set the bucket size to 10 bytes: it must be a positive multiple of 4");
  }
}
