package io.nautilus.prepare;

import java.util.Map;

/**
 * What one prepare run did. {@code inputLines == accepted + rejected} always holds for a result
 * that is returned; a run where it would not fails instead.
 *
 * @param byReason reject counts per {@link RejectReason} name, in enum order
 */
public record PrepareResult(
    String outputDir,
    long inputLines,
    long accepted,
    long rejected,
    Map<String, Long> byReason,
    double acceptedHours,
    long warnings,
    String summary) {}
