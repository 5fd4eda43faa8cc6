package io.nautilus.shard.job;

import java.util.List;

/**
 * What one shard run wrote. {@code entries == inShards + remainder} always holds for a returned
 * result.
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
    String summary) {}
