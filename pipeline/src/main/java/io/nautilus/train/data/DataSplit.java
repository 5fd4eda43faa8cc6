package io.nautilus.train.data;

import io.nautilus.shard.RankSplit;
import java.util.Locale;

/**
 * How data-parallel ranks divide the training shards ({@code model.train_ds.shard_strategy}).
 *
 * <ul>
 *   <li>{@code scatter} (NeMo's default): each rank reads its own slice of the shards, once per
 *       epoch. Cheapest; ranks may hold different sample counts, and the epoch ends for every rank
 *       at the smallest one.
 *   <li>{@code replicate} (NeMo): every rank reads every shard in its own shuffled order, so an
 *       epoch is the whole dataset on each rank.
 *   <li>{@code stride} (ours): every rank reads every shard in one common order and keeps every
 *       W-th sample, offset by its rank. Each sample is used once per epoch, and the samples of a
 *       global batch do not depend on W: 2 ranks with batch b train exactly like 1 rank with batch
 *       2b. Costs W times the reads of scatter.
 * </ul>
 */
public enum DataSplit {
  SCATTER,
  REPLICATE,
  STRIDE;

  public static DataSplit parse(String name) {
    for (DataSplit s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Cannot read shard_strategy '" + name + "': use scatter, replicate or stride");
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The shard reader's split; stride reads everything in one order and filters afterwards. */
  RankSplit readerSplit() {
    return this == REPLICATE ? RankSplit.REPLICATE : RankSplit.SCATTER;
  }

  /** Samples rank {@code rank} of {@code worldSize} reads per epoch. */
  public long samplesFor(ShardSet set, int rank, int worldSize) {
    return switch (this) {
      case REPLICATE -> set.totalSamples();
      case STRIDE -> {
        long n = set.totalSamples();
        yield n / worldSize + (rank < n % worldSize ? 1 : 0);
      }
      case SCATTER -> {
        var mine = RankSplit.SCATTER.select(set.urls(), rank, worldSize);
        long total = 0;
        for (int i = 0; i < set.urls().size(); i++) {
          if (mine.contains(set.urls().get(i))) {
            total += set.counts().get(i);
          }
        }
        yield total;
      }
    };
  }

  /** The fewest samples any rank reads per epoch: every rank stops there, so none waits. */
  public long samplesPerRank(ShardSet set, int worldSize) {
    long min = Long.MAX_VALUE;
    for (int r = 0; r < worldSize; r++) {
      min = Math.min(min, samplesFor(set, r, worldSize));
    }
    return min;
  }
}
