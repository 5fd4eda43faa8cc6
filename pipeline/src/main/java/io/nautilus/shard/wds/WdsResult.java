package io.nautilus.shard.wds;

import java.util.Map;

/** What one WebDataset shard run wrote; {@code inputLines == samples + rejected} always holds. */
public record WdsResult(
    String outputDir,
    long inputLines,
    long samples,
    long rejected,
    int shards,
    long bytes,
    Map<String, Long> byReason,
    String summary) {}
