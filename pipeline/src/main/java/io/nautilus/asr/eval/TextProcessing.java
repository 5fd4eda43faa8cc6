package io.nautilus.asr.eval;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * NeMo's {@code text_processing} of {@code speech_to_text_eval.py}, applied to the reference and
 * the prediction alike before scoring: lower-casing, and removing the listed punctuation marks.
 * Runs of whitespace then fold to one space, as NeMo's scoring splits words on whitespace anyway.
 */
public record TextProcessing(String punctuationMarks, boolean lowercase, boolean rmPunctuation)
    implements Serializable {
  public TextProcessing {
    Objects.requireNonNull(punctuationMarks, "punctuationMarks is null");
  }

  /** No change: NeMo's defaults. */
  public static TextProcessing none() {
    return new TextProcessing(".,?", false, false);
  }

  public String apply(String text) {
    if (!lowercase && !rmPunctuation) {
      return text;
    }
    String t = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    if (rmPunctuation) {
      StringBuilder sb = new StringBuilder(t.length());
      t.codePoints().filter(c -> punctuationMarks.indexOf(c) < 0).forEach(sb::appendCodePoint);
      t = sb.toString();
    }
    return t.trim().replaceAll("\\s+", " ");
  }
}
