package io.nautilus.shard;

import java.util.List;

/** How data-parallel ranks divide a shard list, named as in NeMo's {@code shard_strategy}. */
public enum RankSplit {
  /**
   * Each rank reads a contiguous slice of the shard list, so every shard is read once per epoch.
   *
   * <p>NeMo gives each rank {@code S / W} shards and leaves the {@code S mod W} leftovers unread.
   * We lose nothing: the first {@code S mod W} ranks read one extra shard each. Ranks then see
   * different sample counts, which a trainer must tolerate (for example by stopping every rank at
   * the smallest count, or by writing {@code S} as a multiple of {@code W}). Fewer shards than
   * ranks is refused, since a rank with no data stalls the others.
   */
  SCATTER {
    @Override
    public List<String> select(List<String> shards, int rank, int worldSize) {
      check(shards, rank, worldSize);
      int size = shards.size();
      if (size < worldSize) {
        throw new IllegalArgumentException(
            "Cannot scatter "
                + size
                + " shards over "
                + worldSize
                + " ranks: every rank needs at least one shard; write more shards or use"
                + " REPLICATE");
      }
      int base = size / worldSize;
      int extra = size % worldSize;
      int start = rank * base + Math.min(rank, extra);
      int count = base + (rank < extra ? 1 : 0);
      return List.copyOf(shards.subList(start, start + count));
    }
  },

  /** Every rank reads every shard; ranks differ only by their shuffle seed. */
  REPLICATE {
    @Override
    public List<String> select(List<String> shards, int rank, int worldSize) {
      check(shards, rank, worldSize);
      return List.copyOf(shards);
    }
  };

  /** The shards rank {@code rank} of {@code worldSize} reads, in list order. */
  public abstract List<String> select(List<String> shards, int rank, int worldSize);

  private static void check(List<String> shards, int rank, int worldSize) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("Cannot split shards over ranks: the shard list is empty");
    }
    if (worldSize < 1 || rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException(
          "Cannot split shards over ranks: rank "
              + rank
              + " is outside 0.."
              + (worldSize - 1)
              + " (world size "
              + worldSize
              + ")");
    }
  }
}
