package io.nautilus.prepare;

import java.util.Map;

/**
 * What one prepare run did. {@code inputLines == accepted + rejected} always holds for a result
 * that is returned; a run where it would not fails instead.
 *
 * @param byReason reject counts per {@link RejectReason} name, in enum order
 * @param upToDate true when the output already held this run's result, so nothing was read or
 *     written (every count is then zero, and {@code summary} says so)
 */
public record PrepareResult(
    String outputDir,
    long inputLines,
    long accepted,
    long rejected,
    Map<String, Long> byReason,
    double acceptedHours,
    long warnings,
    String summary,
    boolean upToDate) {

  static PrepareResult upToDate(String outputDir, String summary) {
    return new PrepareResult(outputDir, 0, 0, 0, Map.of(), 0, 0, summary, true);
  }
}
