package io.nautilus.train.data;

import io.nautilus.shard.MultiShardReader;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One rank's micro-batches for one epoch, in an order fixed by (seed, epoch, rank): a resumed run
 * skips the batches it already trained on and continues with the same samples.
 */
public final class EpochFeed implements AutoCloseable {
  private final MultiShardReader reader;
  private final java.util.Iterator<Sample> samples;
  private final int stride;
  private final int offset;
  private final int batchSize;
  private long position;

  /**
   * @param shuffleN shuffle buffer in samples ({@code shuffle_n}); 0 reads in shard order
   */
  public EpochFeed(
      ShardSet set,
      ShardOpener opener,
      DataSplit split,
      int rank,
      int worldSize,
      int shuffleN,
      long seed,
      long epoch,
      int batchSize) {
    MultiShardReader.Builder b =
        MultiShardReader.builder().setShards(set.urls()).setOpener(opener).optEpoch(epoch);
    if (split == DataSplit.STRIDE) {
      b.optRank(0, 1, split.readerSplit());
      stride = worldSize;
      offset = rank;
    } else {
      b.optRank(rank, worldSize, split.readerSplit());
      stride = 1;
      offset = 0;
    }
    if (shuffleN > 0) {
      b.optShuffle(shuffleN, seed);
    }
    this.reader = b.build();
    this.samples = open(reader, set, opener);
    this.batchSize = batchSize;
  }

  /** Skips {@code batches} micro-batches, as a resumed run does. */
  public void skip(long batches) {
    for (long i = 0; i < batches; i++) {
      next();
    }
  }

  /**
   * The next micro-batch of exactly {@code batchSize} samples.
   *
   * @throws IllegalStateException if the rank's data ends first: the step count agreed on the
   *     driver promised more, so a shard changed or was unreadable
   */
  public List<Sample> next() {
    List<Sample> batch = new ArrayList<>(batchSize);
    while (batch.size() < batchSize) {
      if (!samples.hasNext()) {
        throw new IllegalStateException(
            "Cannot read the next batch: the shards ended after "
                + position
                + " samples of this rank, fewer than the shard index promised; were shards"
                + " changed during training?");
      }
      Sample s = samples.next();
      if (position++ % stride == offset) {
        batch.add(s);
      }
    }
    return batch;
  }

  /** The reader's samples, joined with their manifest entries for NeMo tarred audio. */
  public static java.util.Iterator<Sample> open(
      MultiShardReader reader, ShardSet set, ShardOpener opener) {
    return set.manifests().isEmpty() ? reader : new NemoEntries(reader, set, opener);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
