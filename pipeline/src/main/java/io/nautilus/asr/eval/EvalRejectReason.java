package io.nautilus.asr.eval;

/** Why an input line got no prediction; each rejected line names one in rejects.json. */
public enum EvalRejectReason {
  /** Not valid UTF-8, not a JSON object, or no audio_filepath. */
  INVALID_LINE,
  /** No {@code text} to score against. */
  MISSING_TEXT,
  /** The reference holds a character outside the model's labels, so no output could match it. */
  UNSUPPORTED_TEXT,
  /** The audio is missing, cannot be decoded, or holds no samples. */
  UNREADABLE_AUDIO
}
