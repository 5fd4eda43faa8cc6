package io.nautilus.asr.ctc;

import java.util.Locale;

/** How {@link CtcLoss} folds the per-utterance losses into its result, named as NeMo names them. */
public enum Reduction {
  /** One loss per utterance, shape (B). */
  NONE,
  /** The sum of the per-utterance losses. */
  SUM,
  /** NeMo's {@code mean_batch} (its default): the per-utterance losses averaged over the batch. */
  MEAN_BATCH,
  /**
   * PyTorch's {@code mean}: each loss divided by its target length (at least 1), then averaged over
   * the batch.
   */
  MEAN,
  /** NeMo's {@code mean_volume}: the summed losses divided by the summed target lengths. */
  MEAN_VOLUME;

  /** Parses a NeMo config value such as {@code mean_batch}. */
  public static Reduction of(String name) {
    for (Reduction r : values()) {
      if (r.name().toLowerCase(Locale.ROOT).equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "Cannot parse CTC reduction '"
            + name
            + "': expected one of none, sum, mean_batch, mean, mean_volume");
  }
}
