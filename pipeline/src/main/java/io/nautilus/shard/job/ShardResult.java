package io.nautilus.shard.job;

import java.util.List;

/**
 * What one shard run wrote. {@code entries == inShards + remainder} always holds for a returned
 * result.
 *
 * @param version the shard set's version after this run: 0 for a first run, then one more for each
 *     {@code --append}
 * @param upToDate true when the output already held this run's result, so nothing was written (the
 *     counts are then zero, and {@code summary} says so)
 */
public record ShardResult(
    String outputDir,
    long entries,
    long inShards,
    long remainder,
    int shards,
    long bytes,
    double hours,
    List<String> notes,
    String summary,
    int version,
    boolean upToDate) {

  static ShardResult upToDate(String outputDir, int version, String summary) {
    return new ShardResult(outputDir, 0, 0, 0, 0, 0, 0, List.of(), summary, version, true);
  }
}
