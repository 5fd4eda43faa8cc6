package io.nautilus.audio;

/**
 * Chooses and writes the smallest FLAC subframe for one channel of one block: CONSTANT when every
 * sample is equal, else the smallest of VERBATIM and the FIXED predictors of orders 0 to 4, whose
 * residuals are Rice coded with a partition order and a parameter per partition chosen for size.
 * Reused block after block; not thread-safe.
 */
final class FlacSubframe {

  private static final int MAX_FIXED_ORDER = 4;
  private static final int MAX_PARTITION_ORDER = 8;

  /** Rice parameters above this need the 5-bit parameter method (15 escapes in the 4-bit one). */
  private static final int MAX_RICE_4BIT = 14;

  private static final int MAX_RICE = 30;

  private static final int TYPE_CONSTANT = 0;
  private static final int TYPE_VERBATIM = 1;
  private static final int TYPE_FIXED = 8;

  /** The channel's samples for the block; callers fill {@code [0, n)} before {@link #plan}. */
  final int[] samples;

  private int[] residual;
  private int[] trialResidual;
  private int[] params = new int[1 << MAX_PARTITION_ORDER];
  private int[] trialParams = new int[1 << MAX_PARTITION_ORDER];
  private final int[] levelParams = new int[1 << MAX_PARTITION_ORDER];
  private final long[] sums = new long[1 << MAX_PARTITION_ORDER];

  private int n;
  private int bitsPerSample;
  private int type;
  private int order;
  private int partitionOrder;
  private int paramBits;
  private int trialPartitionOrder;
  private int trialParamBits;

  FlacSubframe(int maxBlockSize) {
    samples = new int[maxBlockSize];
    residual = new int[maxBlockSize];
    trialResidual = new int[maxBlockSize];
  }

  /**
   * Chooses the encoding of {@code samples[0, n)}.
   *
   * @param bitsPerSample the subframe's width: the stream's, plus one for a side channel
   * @return the subframe's size in bits
   */
  long plan(int n, int bitsPerSample) {
    this.n = n;
    this.bitsPerSample = bitsPerSample;
    if (isConstant()) {
      type = TYPE_CONSTANT;
      return 8 + bitsPerSample;
    }
    type = TYPE_VERBATIM;
    long best = 8 + (long) n * bitsPerSample;
    for (int o = 0; o <= Math.min(MAX_FIXED_ORDER, n - 1); o++) {
      computeResidual(o, trialResidual);
      // Header, warm-up samples, coding method (2 bits) and partition order (4 bits).
      long bits = 8 + (long) o * bitsPerSample + 6 + partition(o);
      if (bits < best) {
        best = bits;
        type = TYPE_FIXED;
        order = o;
        partitionOrder = trialPartitionOrder;
        paramBits = trialParamBits;
        int[] r = residual;
        residual = trialResidual;
        trialResidual = r;
        int[] p = params;
        params = trialParams;
        trialParams = p;
      }
    }
    return best;
  }

  /** Writes the planned subframe. */
  void write(BitWriter out) {
    // A zero pad bit, the 6-bit type and a clear wasted-bits flag.
    out.bits((type == TYPE_FIXED ? TYPE_FIXED + order : type) << 1, 8);
    switch (type) {
      case TYPE_CONSTANT -> out.bits(samples[0], bitsPerSample);
      case TYPE_VERBATIM -> {
        for (int i = 0; i < n; i++) {
          out.bits(samples[i], bitsPerSample);
        }
      }
      default -> writeFixed(out);
    }
  }

  private void writeFixed(BitWriter out) {
    for (int i = 0; i < order; i++) {
      out.bits(samples[i], bitsPerSample);
    }
    out.bits(paramBits == 4 ? 0 : 1, 2);
    out.bits(partitionOrder, 4);
    int partitions = 1 << partitionOrder;
    int size = n >> partitionOrder;
    for (int j = 0; j < partitions; j++) {
      int k = params[j];
      out.bits(k, paramBits);
      for (int i = start(j, size, order), end = (j + 1) * size - order; i < end; i++) {
        out.rice(fold(residual[i]), k);
      }
    }
  }

  private boolean isConstant() {
    int first = samples[0];
    for (int i = 1; i < n; i++) {
      if (samples[i] != first) {
        return false;
      }
    }
    return true;
  }

  /**
   * Residuals of the fixed predictor of {@code order}: {@code e[i - order]} for sample {@code i}.
   */
  private void computeResidual(int order, int[] e) {
    int[] s = samples;
    switch (order) {
      case 0 -> System.arraycopy(s, 0, e, 0, n);
      case 1 -> {
        for (int i = 1; i < n; i++) {
          e[i - 1] = s[i] - s[i - 1];
        }
      }
      case 2 -> {
        for (int i = 2; i < n; i++) {
          e[i - 2] = s[i] - 2 * s[i - 1] + s[i - 2];
        }
      }
      case 3 -> {
        for (int i = 3; i < n; i++) {
          e[i - 3] = s[i] - 3 * s[i - 1] + 3 * s[i - 2] - s[i - 3];
        }
      }
      case 4 -> {
        for (int i = 4; i < n; i++) {
          e[i - 4] = s[i] - 4 * s[i - 1] + 6 * s[i - 2] - 4 * s[i - 3] + s[i - 4];
        }
      }
      default -> throw new IllegalArgumentException("Cannot predict: no fixed order " + order);
    }
  }

  /**
   * Picks the partition order and per-partition Rice parameters for {@code trialResidual}, into the
   * trial fields.
   *
   * @return the exact size in bits of the partitioned residual, parameters included
   */
  private long partition(int order) {
    int maxOrder = 0;
    // Partitions must split the block evenly and the first must hold a residual after warm-up.
    while (maxOrder < MAX_PARTITION_ORDER
        && (n & ((2 << maxOrder) - 1)) == 0
        && (n >> (maxOrder + 1)) > order) {
      maxOrder++;
    }
    int size = n >> maxOrder;
    for (int j = 0; j < 1 << maxOrder; j++) {
      long sum = 0;
      for (int i = start(j, size, order), end = (j + 1) * size - order; i < end; i++) {
        sum += fold(trialResidual[i]) & 0xFFFFFFFFL;
      }
      sums[j] = sum;
    }
    long bestEstimate = Long.MAX_VALUE;
    for (int p = maxOrder; p >= 0; p--) {
      int partitions = 1 << p;
      int partitionSize = n >> p;
      long estimate = 0;
      int maxK = 0;
      for (int j = 0; j < partitions; j++) {
        int count = partitionSize - (j == 0 ? order : 0);
        int k = riceParameter(sums[j], count);
        maxK = Math.max(maxK, k);
        estimate += (long) count * (k + 1) + (sums[j] >>> k);
        levelParams[j] = k;
      }
      int bits = maxK > MAX_RICE_4BIT ? 5 : 4;
      estimate += (long) bits * partitions;
      if (estimate < bestEstimate) {
        bestEstimate = estimate;
        trialPartitionOrder = p;
        trialParamBits = bits;
        System.arraycopy(levelParams, 0, trialParams, 0, partitions);
      }
      for (int j = 0; j < partitions / 2; j++) {
        sums[j] = sums[2 * j] + sums[2 * j + 1];
      }
    }
    return exactBits(order);
  }

  /** The size of {@code trialResidual} coded as the trial fields say. */
  private long exactBits(int order) {
    int partitions = 1 << trialPartitionOrder;
    int size = n >> trialPartitionOrder;
    long bits = (long) trialParamBits * partitions;
    for (int j = 0; j < partitions; j++) {
      int k = trialParams[j];
      int from = start(j, size, order);
      int end = (j + 1) * size - order;
      bits += (long) (end - from) * (k + 1);
      for (int i = from; i < end; i++) {
        bits += (fold(trialResidual[i]) & 0xFFFFFFFFL) >>> k;
      }
    }
    return bits;
  }

  /** The first residual of partition {@code j}; the first partition loses the warm-up samples. */
  private static int start(int j, int size, int order) {
    return j == 0 ? 0 : j * size - order;
  }

  /** The parameter near log2 of the mean that minimises {@code count * (k + 1) + sum >> k}. */
  private static int riceParameter(long sum, int count) {
    long mean = sum / count;
    int guess = mean == 0 ? 0 : 63 - Long.numberOfLeadingZeros(mean);
    int best = 0;
    long bestCost = Long.MAX_VALUE;
    for (int k = Math.max(0, guess - 1); k <= Math.min(MAX_RICE, guess + 1); k++) {
      long cost = (long) count * (k + 1) + (sum >>> k);
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    }
    return best;
  }

  /** Zigzag folding: 0, -1, 1, -2, ... to 0, 1, 2, 3, ... */
  private static int fold(int e) {
    return (e << 1) ^ (e >> 31);
  }
}
