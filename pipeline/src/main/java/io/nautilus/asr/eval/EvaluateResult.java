package io.nautilus.asr.eval;

import java.util.Locale;
import java.util.Map;

/**
 * What an {@code evaluate} run measured; {@code metrics.json} holds the same.
 *
 * @param wer Σ word edits / Σ reference words (NeMo's corpus WER); NaN when no reference has a word
 * @param cer Σ character edits / Σ reference characters; NaN when every reference is empty
 * @param inferenceSeconds model time (batching, features, network, decoding) summed over tasks
 * @param rtfx audio seconds / inference seconds
 */
public record EvaluateResult(
    String outputDir,
    String checkpoint,
    long inputLines,
    long utterances,
    long rejected,
    Map<String, Long> rejectsByReason,
    double wer,
    double cer,
    long wordErrors,
    long referenceWords,
    long charErrors,
    long referenceChars,
    long substitutions,
    long insertions,
    long deletions,
    double audioSeconds,
    double inferenceSeconds,
    double rtfx,
    double wallSeconds) {
  public EvaluateResult {
    rejectsByReason = Map.copyOf(rejectsByReason);
  }

  /** The one line the CLI prints. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "evaluate: WER %s CER %s (S %d, I %d, D %d over %d words), RTFx %.1f, %d utterances"
            + " (%.1f s of audio), %d rejects -> %s",
        percent(wer),
        percent(cer),
        substitutions,
        insertions,
        deletions,
        referenceWords,
        rtfx,
        utterances,
        audioSeconds,
        rejected,
        outputDir);
  }

  private static String percent(double rate) {
    return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * rate);
  }
}
