package io.nautilus.shard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Streams the samples of this rank's shards, one shard open at a time, optionally shuffled.
 *
 * <p>With shuffling on, the rank's shard order is permuted and samples pass through a {@link
 * ShuffleBuffer} of {@code bufferSamples}; both draw from one generator seeded by the seed, the
 * rank and the epoch, so a run is reproducible, ranks (also under {@link RankSplit#REPLICATE}) see
 * different orders, and each epoch reshuffles. Memory holds at most {@code bufferSamples} samples
 * plus the one being read.
 *
 * <p>Errors surface from {@link #hasNext()} and {@link #next()}: {@link ShardFormatException} for a
 * bad shard, {@link UncheckedIOException} when a shard cannot be opened or read. Single use, like
 * {@link TarSampleReader}.
 */
public final class MultiShardReader implements Iterator<Sample>, Iterable<Sample>, AutoCloseable {
  private final List<String> shards;
  private final ShardOpener opener;
  private final long maxMemberBytes;
  private final Iterator<Sample> samples;
  private int nextShard;
  private TarSampleReader current;
  private boolean iterated;
  private boolean closed;

  private MultiShardReader(Builder builder) {
    this.opener = builder.opener;
    this.maxMemberBytes = builder.maxMemberBytes;
    List<String> mine = builder.split.select(builder.shards, builder.rank, builder.worldSize);
    if (builder.bufferSamples > 0) {
      SplittableRandom random =
          new SplittableRandom(seedFor(builder.seed, builder.rank, builder.epoch));
      List<String> order = new ArrayList<>(mine);
      for (int i = order.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        order.set(j, order.set(i, order.get(j)));
      }
      this.shards = List.copyOf(order);
      this.samples = new ShuffleBuffer<>(new Chain(), builder.bufferSamples, random.split());
    } else {
      this.shards = mine;
      this.samples = new Chain();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This rank's shards, in the order they are read. */
  public List<String> shards() {
    return shards;
  }

  @Override
  public Iterator<Sample> iterator() {
    if (iterated) {
      throw new IllegalStateException("Cannot iterate a MultiShardReader twice: it is a stream");
    }
    iterated = true;
    return this;
  }

  @Override
  public boolean hasNext() {
    return !closed && samples.hasNext();
  }

  @Override
  public Sample next() {
    if (!hasNext()) {
      throw new NoSuchElementException("No more samples in " + shards.size() + " shards");
    }
    return samples.next();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (current != null) {
      TarSampleReader open = current;
      current = null;
      open.close();
    }
  }

  /** SplitMix64's finaliser over the three inputs, so nearby seeds and ranks diverge fully. */
  static long seedFor(long seed, int rank, long epoch) {
    long h = mix(seed);
    h = mix(h ^ (rank + 0x632BE59BD9B4E019L));
    return mix(h ^ (epoch + 0x9E3779B97F4A7C15L));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The samples of every shard in order, opening the next shard when one runs out. */
  private final class Chain implements Iterator<Sample> {
    @Override
    public boolean hasNext() {
      while (current == null || !current.hasNext()) {
        if (current != null) {
          closeCurrent();
        }
        if (nextShard >= shards.size()) {
          return false;
        }
        String url = shards.get(nextShard++);
        InputStream in;
        try {
          in = opener.open(url);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot open shard " + url + ": " + e.getMessage(), e);
        }
        current = new TarSampleReader(in, url, maxMemberBytes);
      }
      return true;
    }

    @Override
    public Sample next() {
      if (!hasNext()) {
        throw new NoSuchElementException("No more samples in " + shards.size() + " shards");
      }
      return current.next();
    }

    private void closeCurrent() {
      TarSampleReader done = current;
      current = null;
      try {
        done.close();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot close shard " + done.url() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Builds a reader; {@code set} methods are required, {@code opt} methods optional. */
  public static final class Builder {
    private List<String> shards;
    private ShardOpener opener;
    private long maxMemberBytes = TarSampleReader.DEFAULT_MAX_MEMBER_BYTES;
    private int bufferSamples;
    private long seed;
    private long epoch;
    private int rank;
    private int worldSize = 1;
    private RankSplit split = RankSplit.SCATTER;

    private Builder() {}

    /** The whole dataset's shard URLs, in order, before the rank split. */
    public Builder setShards(List<String> shards) {
      this.shards = List.copyOf(Objects.requireNonNull(shards, "shards is null"));
      return this;
    }

    /** Shard patterns as {@link ShardPatterns#expand(String)} reads them. */
    public Builder setShards(String patterns) {
      return setShards(ShardPatterns.expand(patterns));
    }

    public Builder setOpener(ShardOpener opener) {
      this.opener = Objects.requireNonNull(opener, "opener is null");
      return this;
    }

    /**
     * Shuffles shard order and samples ({@code shuffle_n} in NeMo). A buffer of 1 permutes only the
     * shard order.
     */
    public Builder optShuffle(int bufferSamples, long seed) {
      if (bufferSamples < 1) {
        throw new IllegalArgumentException(
            "Cannot shuffle: buffer of " + bufferSamples + " samples < 1; leave shuffling off");
      }
      this.bufferSamples = bufferSamples;
      this.seed = seed;
      return this;
    }

    /** Mixed into the shuffle seed so each epoch reads in a new order. */
    public Builder optEpoch(long epoch) {
      this.epoch = epoch;
      return this;
    }

    /** Reads only rank {@code rank}'s part of the shards; default: rank 0 of 1. */
    public Builder optRank(int rank, int worldSize, RankSplit split) {
      this.rank = rank;
      this.worldSize = worldSize;
      this.split = Objects.requireNonNull(split, "split is null");
      return this;
    }

    public Builder optMaxMemberBytes(long maxMemberBytes) {
      this.maxMemberBytes = maxMemberBytes;
      return this;
    }

    public MultiShardReader build() {
      if (shards == null) {
        throw new IllegalStateException("Cannot build MultiShardReader: setShards was not called");
      }
      if (opener == null) {
        throw new IllegalStateException("Cannot build MultiShardReader: setOpener was not called");
      }
      if (maxMemberBytes < 0 || maxMemberBytes > TarSampleReader.DEFAULT_MAX_MEMBER_BYTES) {
        throw new IllegalArgumentException(
            "Cannot build MultiShardReader: maxMemberBytes "
                + maxMemberBytes
                + " is outside 0.."
                + TarSampleReader.DEFAULT_MAX_MEMBER_BYTES);
      }
      return new MultiShardReader(this);
    }
  }
}
