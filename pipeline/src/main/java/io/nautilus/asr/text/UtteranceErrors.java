package io.nautilus.asr.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Word and character errors of one hypothesis against its reference, with NeMo's tokenisation:
 * words are the whitespace-separated pieces (Python's {@code str.split()}), characters are all code
 * points of the string, spaces included, with no normalisation.
 *
 * <p>{@code substitutions}, {@code insertions} and {@code deletions} are word-level and sum to
 * {@code wordErrors}; {@link EditCounts} explains how ties between alignments are broken.
 */
public record UtteranceErrors(
    String reference,
    String hypothesis,
    int wordErrors,
    int referenceWords,
    int charErrors,
    int referenceChars,
    int substitutions,
    int insertions,
    int deletions) {

  public UtteranceErrors {
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(hypothesis, "hypothesis is null");
    if (substitutions + insertions + deletions != wordErrors) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot record utterance errors: %d substitutions + %d insertions + %d deletions"
                  + " != %d word errors",
              substitutions, insertions, deletions, wordErrors));
    }
  }

  /** Scores {@code hypothesis} against {@code reference}. */
  public static UtteranceErrors of(String reference, String hypothesis) {
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(hypothesis, "hypothesis is null");
    List<String> refWords = words(reference);
    List<String> hypWords = words(hypothesis);
    Map<String, Integer> vocabulary = new HashMap<>();
    EditCounts wordEdits = EditCounts.between(ids(refWords, vocabulary), ids(hypWords, vocabulary));
    int[] refChars = reference.codePoints().toArray();
    EditCounts charEdits = EditCounts.between(refChars, hypothesis.codePoints().toArray());
    return new UtteranceErrors(
        reference,
        hypothesis,
        wordEdits.errors(),
        refWords.size(),
        charEdits.errors(),
        refChars.length,
        wordEdits.substitutions(),
        wordEdits.insertions(),
        wordEdits.deletions());
  }

  /**
   * This utterance's WER; NaN when the reference has no words, where the rate is undefined (the
   * hypothesis words still count as insertions in a corpus total).
   */
  public double wer() {
    return referenceWords == 0 ? Double.NaN : (double) wordErrors / referenceWords;
  }

  /** This utterance's CER; NaN when the reference is empty. */
  public double cer() {
    return referenceChars == 0 ? Double.NaN : (double) charErrors / referenceChars;
  }

  /** Splits on runs of whitespace and drops empty pieces, as Python's {@code str.split()}. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int offset = 0; offset < text.length(); ) {
      int codePoint = text.codePointAt(offset);
      boolean space = Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
      if (space && start >= 0) {
        words.add(text.substring(start, offset));
        start = -1;
      } else if (!space && start < 0) {
        start = offset;
      }
      offset += Character.charCount(codePoint);
    }
    if (start >= 0) {
      words.add(text.substring(start));
    }
    return words;
  }

  private static int[] ids(List<String> words, Map<String, Integer> vocabulary) {
    int[] ids = new int[words.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = vocabulary.computeIfAbsent(words.get(i), w -> vocabulary.size());
    }
    return ids;
  }
}
