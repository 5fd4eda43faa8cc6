package io.nautilus.train.ckpt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ranked top-k checkpoints of a run. Better means a smaller value under {@code min}, a larger
 * one under {@code max}; between equal values the newer (higher step) is better, so a tie evicts
 * the older checkpoint.
 */
final class TopK {
  private final int k;
  private final Comparator<CheckpointName> bestFirst;
  private final List<CheckpointName> kept = new ArrayList<>();

  TopK(CheckpointPolicy policy) {
    this.k = policy.saveTopK();
    boolean max = policy.maximize();
    // Plain comparisons, not Double.compare: -0.0000 and 0.0000 are the same value in a name.
    Comparator<CheckpointName> byValue =
        (a, b) -> {
          double x = a.value();
          double y = b.value();
          int c = x < y ? -1 : x > y ? 1 : 0;
          return max ? -c : c;
        };
    this.bestFirst =
        byValue.thenComparing(Comparator.comparingLong(CheckpointName::step).reversed());
  }

  /** Whether {@code candidate} would be kept. */
  boolean accepts(CheckpointName candidate) {
    if (k == 0) {
      return false;
    }
    if (k < 0 || kept.size() < k) {
      return true;
    }
    return bestFirst.compare(candidate, worst()) <= 0;
  }

  /** Adds {@code name}, replacing an entry of the same file name. */
  void add(CheckpointName name) {
    kept.removeIf(n -> n.fileName().equals(name.fileName()));
    kept.add(name);
    kept.sort(bestFirst);
  }

  /** Removes and returns the entries beyond k, worst first. */
  List<CheckpointName> evictOverflow() {
    List<CheckpointName> evicted = new ArrayList<>();
    while (k >= 0 && kept.size() > k) {
      evicted.add(kept.remove(kept.size() - 1));
    }
    return evicted;
  }

  Optional<CheckpointName> best() {
    return kept.isEmpty() ? Optional.empty() : Optional.of(kept.get(0));
  }

  /** Best first. */
  List<CheckpointName> entries() {
    return List.copyOf(kept);
  }

  private CheckpointName worst() {
    return kept.get(kept.size() - 1);
  }
}
