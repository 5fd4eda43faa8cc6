package io.nautilus.asr.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps text to label ids and back, one label per Unicode code point, from a config's {@code labels}
 * list. The CTC blank is the id after the last label ({@link #blank()}).
 *
 * <p>Text outside the labels is never dropped: {@link #encode} throws and {@link #unsupported}
 * names the first offending character, so a data pipeline can reject the record with a reason.
 */
public final class CharTokenizer {

  /** NeMo's {@code conformer_ctc_char} labels: space, a to z, apostrophe (28 labels). */
  public static final List<String> ENGLISH_LABELS =
      List.of(
          " ", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
          "r", "s", "t", "u", "v", "w", "x", "y", "z", "'");

  private final List<String> labels;
  private final int[] codePoints;
  private final Map<Integer, Integer> idByCodePoint;

  private CharTokenizer(List<String> labels) {
    this.labels = List.copyOf(labels);
    this.codePoints = new int[labels.size()];
    this.idByCodePoint = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      int codePoint = labels.get(i).codePointAt(0);
      codePoints[i] = codePoint;
      idByCodePoint.put(codePoint, i);
    }
  }

  /**
   * Builds a tokenizer from labels that are non-empty, unique and one character (code point) each.
   *
   * @throws IllegalArgumentException when a label breaks one of those rules
   */
  public static CharTokenizer of(List<String> labels) {
    Objects.requireNonNull(labels, "labels is null");
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("Cannot build a tokenizer: labels is empty");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      if (label == null || label.codePointCount(0, label.length()) != 1) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build a tokenizer: label %d is %s, expected exactly one character",
                i, label == null ? "null" : "'" + label + "'"));
      }
      Integer previous = seen.putIfAbsent(label, i);
      if (previous != null) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build a tokenizer: label '%s' appears twice (at %d and %d)",
                label, previous, i));
      }
    }
    return new CharTokenizer(labels);
  }

  /** NeMo's English character tokenizer ({@link #ENGLISH_LABELS}). */
  public static CharTokenizer english() {
    return of(ENGLISH_LABELS);
  }

  public List<String> labels() {
    return labels;
  }

  /** The CTC blank id: {@code labels().size()}. */
  public int blank() {
    return labels.size();
  }

  /** Number of model outputs: the labels plus the blank. */
  public int vocabularySize() {
    return labels.size() + 1;
  }

  /**
   * Encodes every character of {@code text} to its label id.
   *
   * @throws IllegalArgumentException naming the first character that is not a label
   */
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text is null");
    int[] ids = new int[text.codePointCount(0, text.length())];
    int n = 0;
    for (int offset = 0; offset < text.length(); ) {
      int codePoint = text.codePointAt(offset);
      Integer id = idByCodePoint.get(codePoint);
      if (id == null) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot encode '%s': %s; normalise the text in prepare (text.lowercase,"
                    + " text.allowed_chars) or add it to labels",
                text, describe(codePoint)));
      }
      ids[n++] = id;
      offset += Character.charCount(codePoint);
    }
    return ids;
  }

  /**
   * The reason {@link #encode} would refuse {@code text}, naming its first character outside the
   * labels, e.g. {@code character 'A' (U+0041) is not in the labels}; empty when it encodes.
   */
  public Optional<String> unsupported(String text) {
    Objects.requireNonNull(text, "text is null");
    return text.codePoints()
        .filter(codePoint -> !idByCodePoint.containsKey(codePoint))
        .mapToObj(CharTokenizer::describe)
        .findFirst();
  }

  /**
   * Turns label ids back into text.
   *
   * @throws IllegalArgumentException for the blank or an id outside the labels: CTC output must be
   *     collapsed by {@link CtcDecoder} first
   */
  public String decode(int[] ids) {
    Objects.requireNonNull(ids, "ids is null");
    StringBuilder text = new StringBuilder(ids.length);
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      if (id < 0 || id >= codePoints.length) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot decode id %d at position %d: label ids are 0..%d (%d is the blank; decode"
                    + " CTC output with CtcDecoder first)",
                id, i, codePoints.length - 1, blank()));
      }
      text.appendCodePoint(codePoints[id]);
    }
    return text.toString();
  }

  private static String describe(int codePoint) {
    return String.format(
        "character '%s' (U+%04X) is not in the labels", Character.toString(codePoint), codePoint);
  }
}
