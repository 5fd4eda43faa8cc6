package io.nautilus.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the declared key a user most likely meant when they wrote an unknown one. */
final class KeySuggester {
  private KeySuggester() {}

  /**
   * The closest candidate by edit distance over the full dotted key; failing that, the candidate
   * whose last segment is closest (a key put in the wrong section, or a typo in a long path);
   * failing that, a candidate the unknown key extends. Ties go to the earlier candidate. Empty when
   * nothing is close enough to be a plausible typo.
   */
  static Optional<String> suggest(String unknown, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(unknown, candidate);
      if (distance <= allowed(unknown.length()) && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best != null) {
      return Optional.of(best);
    }
    String unknownLast = lastSegment(unknown);
    int bestFull = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(unknownLast, lastSegment(candidate));
      if (distance > allowed(unknownLast.length())) {
        continue;
      }
      int full = distance(unknown, candidate);
      if (distance < bestDistance || (distance == bestDistance && full < bestFull)) {
        best = candidate;
        bestDistance = distance;
        bestFull = full;
      }
    }
    if (best != null) {
      return Optional.of(best);
    }
    // A key written below a plain value ("trainer.max_steps.value") most likely meant the value.
    return candidates.stream().filter(c -> unknown.startsWith(c + ".")).findFirst();
  }

  /** Typos allowed for a word of this length: 1 for short words, up to 3 for long keys. */
  private static int allowed(int length) {
    return Math.max(1, Math.min(3, length / 4));
  }

  private static String lastSegment(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
