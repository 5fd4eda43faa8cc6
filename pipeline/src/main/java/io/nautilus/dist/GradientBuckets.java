package io.nautilus.dist;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gradients flattened into buckets for the all-reduce, in one fixed parameter order that every rank
 * shares (the caller's order, e.g. sorted block parameter names; never an engine's internal ids).
 * Consecutive parameters share a bucket of at most {@code bucketBytes}; a parameter larger than
 * that gets a bucket of its own. Each bucket is one {@link ProcessGroup} all-reduce, so the
 * summation order of every value is fixed by the world size and the bucket layout (see {@link
 * ProcessGroup#allReduceSum(float[])}), and the results are bit-identical on every rank.
 *
 * <p>The first reduction with a group checks that every rank has the same layout, and fails with
 * the first parameter that differs rather than summing mismatched values.
 *
 * <p>Not thread-safe: one trainer thread uses it, reusing one scratch buffer between steps.
 */
public final class GradientBuckets {
  /** 25 MiB, PyTorch DDP's default bucket size. */
  public static final int BUCKET_BYTES_DEFAULT = 25 << 20;

  /** One all-reduce: parameters {@code [first, first + count)}, {@code floats} values in all. */
  public record Bucket(int first, int count, int floats) {}

  private final List<String> names;
  private final int[] lengths;
  private final int bucketBytes;
  private final List<Bucket> buckets;
  private final Map<String, Integer> index = new HashMap<>();
  private float[] flat;
  private ProcessGroup checkedWith;

  private GradientBuckets(Builder builder) {
    this.names = List.copyOf(builder.names);
    this.lengths = builder.lengths.stream().mapToInt(Integer::intValue).toArray();
    this.bucketBytes = builder.bucketBytes;
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    this.buckets = pack(lengths, bucketBytes / 4);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Greedy in order: a bucket closes when the next parameter would overflow it. */
  private static List<Bucket> pack(int[] lengths, int capacity) {
    List<Bucket> buckets = new ArrayList<>();
    int first = 0;
    long floats = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (i > first && floats + lengths[i] > capacity) {
        buckets.add(new Bucket(first, i - first, (int) floats));
        first = i;
        floats = 0;
      }
      floats += lengths[i];
    }
    if (first < lengths.length) {
      buckets.add(new Bucket(first, lengths.length - first, (int) floats));
    }
    return List.copyOf(buckets);
  }

  public List<String> names() {
    return names;
  }

  public List<Bucket> buckets() {
    return buckets;
  }

  public int bucketBytes() {
    return bucketBytes;
  }

  /** Replaces each gradient (given in plan order) by its mean over ranks. */
  public void allReduceMean(ProcessGroup group, List<float[]> gradients) {
    reduce(group, gradients, true);
  }

  /** Replaces each gradient (given in plan order) by its sum over ranks. */
  public void allReduceSum(ProcessGroup group, List<float[]> gradients) {
    reduce(group, gradients, false);
  }

  /** {@link #allReduceMean(ProcessGroup, List)} with gradients looked up by name. */
  public void allReduceMean(ProcessGroup group, Map<String, float[]> gradients) {
    reduce(group, inPlanOrder(gradients), true);
  }

  /** {@link #allReduceSum(ProcessGroup, List)} with gradients looked up by name. */
  public void allReduceSum(ProcessGroup group, Map<String, float[]> gradients) {
    reduce(group, inPlanOrder(gradients), false);
  }

  private List<float[]> inPlanOrder(Map<String, float[]> gradients) {
    Objects.requireNonNull(gradients, "gradients is null");
    for (String name : gradients.keySet()) {
      if (!index.containsKey(name)) {
        throw new IllegalArgumentException(
            "Cannot all-reduce gradients: '" + name + "' is not one of the planned parameters");
      }
    }
    List<float[]> ordered = new ArrayList<>(names.size());
    for (String name : names) {
      float[] g = gradients.get(name);
      if (g == null) {
        throw new IllegalArgumentException(
            "Cannot all-reduce gradients: there is no gradient for '" + name + "'");
      }
      ordered.add(g);
    }
    return ordered;
  }

  private void reduce(ProcessGroup group, List<float[]> gradients, boolean mean) {
    Objects.requireNonNull(group, "group is null");
    check(gradients);
    if (checkedWith != group) {
      checkSameLayout(group);
      checkedWith = group;
    }
    for (Bucket b : buckets) {
      if (b.floats() == 0) {
        continue;
      }
      if (b.count() == 1) {
        float[] g = gradients.get(b.first());
        allReduce(group, g, g.length, mean);
        continue;
      }
      if (flat == null) {
        flat = new float[maxSharedBucket()];
      }
      int at = 0;
      for (int i = b.first(); i < b.first() + b.count(); i++) {
        System.arraycopy(gradients.get(i), 0, flat, at, lengths[i]);
        at += lengths[i];
      }
      allReduce(group, flat, b.floats(), mean);
      at = 0;
      for (int i = b.first(); i < b.first() + b.count(); i++) {
        System.arraycopy(flat, at, gradients.get(i), 0, lengths[i]);
        at += lengths[i];
      }
    }
  }

  private static void allReduce(ProcessGroup group, float[] data, int length, boolean mean) {
    if (mean) {
      group.allReduceMean(data, 0, length);
    } else {
      group.allReduceSum(data, 0, length);
    }
  }

  private int maxSharedBucket() {
    int max = 0;
    for (Bucket b : buckets) {
      if (b.count() > 1) {
        max = Math.max(max, b.floats());
      }
    }
    return max;
  }

  private void check(List<float[]> gradients) {
    Objects.requireNonNull(gradients, "gradients is null");
    if (gradients.size() != names.size()) {
      throw new IllegalArgumentException(
          "Cannot all-reduce gradients: got "
              + gradients.size()
              + " arrays for "
              + names.size()
              + " parameters");
    }
    for (int i = 0; i < lengths.length; i++) {
      float[] g = gradients.get(i);
      if (g == null || g.length != lengths[i]) {
        throw new IllegalArgumentException(
            "Cannot all-reduce gradients: '"
                + names.get(i)
                + "' has "
                + (g == null ? "no array" : g.length + " values")
                + " where the plan has "
                + lengths[i]);
      }
    }
  }

  /** One line per parameter, "name length", after the bucket size. */
  private List<String> layout() {
    List<String> lines = new ArrayList<>();
    lines.add("bucket size " + bucketBytes + " bytes");
    for (int i = 0; i < names.size(); i++) {
      lines.add("'" + names.get(i) + "' with " + lengths[i] + " values");
    }
    return lines;
  }

  private void checkSameLayout(ProcessGroup group) {
    List<byte[]> all =
        group.allGather(String.join("\n", layout()).getBytes(StandardCharsets.UTF_8));
    List<String> reference =
        List.of(new String(all.get(0), StandardCharsets.UTF_8).split("\n", -1));
    for (int rank = 1; rank < all.size(); rank++) {
      List<String> theirs =
          List.of(new String(all.get(rank), StandardCharsets.UTF_8).split("\n", -1));
      if (theirs.equals(reference)) {
        continue;
      }
      int at = 0;
      while (at < theirs.size()
          && at < reference.size()
          && theirs.get(at).equals(reference.get(at))) {
        at++;
      }
      String difference =
          at >= theirs.size()
              ? "rank " + rank + " has only " + (theirs.size() - 1) + " parameters"
              : at >= reference.size()
                  ? "rank " + rank + " has more parameters, from " + theirs.get(at)
                  : "rank "
                      + rank
                      + " has "
                      + theirs.get(at)
                      + " where rank 0 has "
                      + reference.get(at);
      throw new CollectiveException(
          "Cannot all-reduce gradients: the ranks disagree on the parameter layout: "
              + difference
              + " (at line "
              + at
              + "); every rank must list the same parameters in the same order with the same"
              + " sizes and bucket size",
          rank);
    }
  }

  /** Builder for {@link GradientBuckets}: parameters in the order all ranks share. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private int bucketBytes = BUCKET_BYTES_DEFAULT;

    private Builder() {}

    /** Adds the next parameter and its number of values. */
    public Builder add(String name, int length) {
      Objects.requireNonNull(name, "name is null");
      if (seen.containsKey(name)) {
        throw new IllegalArgumentException(
            "Cannot add parameter '" + name + "': it is already parameter " + seen.get(name));
      }
      if (length < 0) {
        throw new IllegalArgumentException(
            "Cannot add parameter '" + name + "' with " + length + " values");
      }
      seen.put(name, names.size());
      names.add(name);
      lengths.add(length);
      return this;
    }

    /** The most bytes in a bucket shared by several parameters (default 25 MiB). */
    public Builder optBucketBytes(int bytes) {
      if (bytes < 4 || bytes % 4 != 0) {
        throw new IllegalArgumentException(
            "Cannot set the bucket size to "
                + bytes
                + " bytes: it must be a positive multiple of 4");
      }
      this.bucketBytes = bytes;
      return this;
    }

    public GradientBuckets build() {
      return new GradientBuckets(this);
    }
  }
}
