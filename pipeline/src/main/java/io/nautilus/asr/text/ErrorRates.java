package io.nautilus.asr.text;

import java.io.Serializable;
import java.util.Objects;

/**
 * Corpus WER and CER with NeMo's definitions: the sum of edits over the sum of reference words (or
 * characters), not the mean of per-utterance rates, so long utterances weigh more.
 *
 * <p>An empty reference adds no reference words, and its hypothesis words count as insertions, as
 * NeMo does. When the whole corpus has no reference words NeMo reports infinity; we refuse instead
 * ({@link #wer()} throws), because such an evaluation set is a mistake to report, not a score.
 *
 * <p>Mutable and not thread-safe; {@link #merge} combines partial results (one per partition).
 */
public final class ErrorRates implements Serializable {

  private static final long serialVersionUID = 1L;

  private long utterances;
  private long wordErrors;
  private long referenceWords;
  private long charErrors;
  private long referenceChars;
  private long substitutions;
  private long insertions;
  private long deletions;

  /** Scores one utterance, adds it to the totals and returns its errors. */
  public UtteranceErrors add(String reference, String hypothesis) {
    UtteranceErrors errors = UtteranceErrors.of(reference, hypothesis);
    add(errors);
    return errors;
  }

  /** Adds an utterance scored elsewhere. */
  public ErrorRates add(UtteranceErrors errors) {
    Objects.requireNonNull(errors, "errors is null");
    utterances++;
    wordErrors += errors.wordErrors();
    referenceWords += errors.referenceWords();
    charErrors += errors.charErrors();
    referenceChars += errors.referenceChars();
    substitutions += errors.substitutions();
    insertions += errors.insertions();
    deletions += errors.deletions();
    return this;
  }

  /** Adds another accumulator's totals to this one. */
  public ErrorRates merge(ErrorRates other) {
    Objects.requireNonNull(other, "other is null");
    utterances += other.utterances;
    wordErrors += other.wordErrors;
    referenceWords += other.referenceWords;
    charErrors += other.charErrors;
    referenceChars += other.referenceChars;
    substitutions += other.substitutions;
    insertions += other.insertions;
    deletions += other.deletions;
    return this;
  }

  /**
   * Σ word edits / Σ reference words.
   *
   * @throws IllegalStateException when no reference has a word
   */
  public double wer() {
    if (referenceWords == 0) {
      throw new IllegalStateException(
          String.format(
              "Cannot compute WER: the %d references hold no words; evaluate on transcribed"
                  + " audio",
              utterances));
    }
    return (double) wordErrors / referenceWords;
  }

  /**
   * Σ character edits / Σ reference characters, spaces included.
   *
   * @throws IllegalStateException when every reference is empty
   */
  public double cer() {
    if (referenceChars == 0) {
      throw new IllegalStateException(
          String.format(
              "Cannot compute CER: the %d references hold no characters; evaluate on"
                  + " transcribed audio",
              utterances));
    }
    return (double) charErrors / referenceChars;
  }

  public long utterances() {
    return utterances;
  }

  public long wordErrors() {
    return wordErrors;
  }

  public long referenceWords() {
    return referenceWords;
  }

  public long charErrors() {
    return charErrors;
  }

  public long referenceChars() {
    return referenceChars;
  }

  /** Word-level substitutions over the corpus. */
  public long substitutions() {
    return substitutions;
  }

  /** Word-level insertions over the corpus. */
  public long insertions() {
    return insertions;
  }

  /** Word-level deletions over the corpus. */
  public long deletions() {
    return deletions;
  }
}
