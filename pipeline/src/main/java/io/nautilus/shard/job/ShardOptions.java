package io.nautilus.shard.job;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** Typed settings of one {@code shard} run; see conf/shard/asr.yaml for each key. */
public record ShardOptions(
    String name,
    List<String> prepared,
    String outputDir,
    boolean overwrite,
    boolean append,
    Integer numShards,
    Double targetShardMb,
    boolean shuffle,
    long shuffleSeed,
    boolean sortInShards,
    int bucketsNum,
    Double bucketMinDuration,
    Double bucketMaxDuration,
    boolean equalCount,
    Codec codec,
    Integer sampleRate,
    boolean mono,
    boolean sliceWithOffset,
    int failAfterSamples,
    int partitions)
    implements Serializable {

  public ShardOptions {
    Objects.requireNonNull(prepared, "prepared is null");
    prepared = List.copyOf(prepared);
  }

  /** How audio is stored in the shards. */
  public enum Codec {
    /** The source file's bytes, untouched. */
    COPY,
    /** 16-bit PCM WAV. */
    WAV,
    /** FLAC (lossless). */
    FLAC
  }

  boolean transcodes() {
    return codec != Codec.COPY || sampleRate != null || mono;
  }
}
