package io.nautilus.prepare;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** The typed settings of one {@code prepare} run; see conf/prepare/asr.yaml for each key. */
public record PrepareOptions(
    List<String> manifests,
    String outputDir,
    boolean overwrite,
    boolean incremental,
    List<String> allowedRoots,
    int maxLineBytes,
    boolean textRequired,
    double maxPlausibleDuration,
    boolean fullDecode,
    double durationTolerance,
    OnProblem durationMismatch,
    boolean lowercase,
    boolean stripPunctuation,
    String keepPunctuation,
    boolean foldWhitespace,
    OnProblem controlChars,
    String allowedChars,
    OnProblem disallowedChars,
    double minDuration,
    Double maxDuration,
    boolean dropEmptyText,
    Integer maxTextLength,
    Double minCharsPerSecond,
    Double maxCharsPerSecond,
    Duplicates duplicates,
    double maxRejectFraction,
    List<Double> histogramEdges,
    int partitions)
    implements Serializable {

  public PrepareOptions {
    Objects.requireNonNull(manifests, "manifests is null");
    Objects.requireNonNull(outputDir, "outputDir is null");
    manifests = List.copyOf(manifests);
    allowedRoots = List.copyOf(allowedRoots);
    histogramEdges = List.copyOf(histogramEdges);
  }

  /** What to do with a record that has a fixable problem. */
  public enum OnProblem {
    REJECT,
    WARN,
    REMOVE
  }

  /** Which records count as the same. */
  public enum Duplicates {
    /** Same audio bytes (sha-256) and same offset and duration. */
    CONTENT,
    /** Same resolved path and same offset and duration. */
    PATH,
    /** Keep every record. */
    NONE
  }
}
