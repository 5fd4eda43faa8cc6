package io.nautilus.asr.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

  private final CharTokenizer english = CharTokenizer.english();

  @Test
  void englishLabelsAreSpaceLettersApostropheWithBlankLast() {
    assertThat(english.labels()).hasSize(28);
    assertThat(english.labels().get(0)).isEqualTo(" ");
    assertThat(english.labels().get(27)).isEqualTo("'");
    assertThat(english.blank()).isEqualTo(28);
    assertThat(english.vocabularySize()).isEqualTo(29);
  }

  @Test
  void encodesEachCharacterToItsLabelIndex() {
    assertThat(english.encode("it's a")).containsExactly(9, 20, 27, 19, 0, 1);
    assertThat(english.encode("")).isEmpty();
  }

  @Test
  void decodeInvertsEncode() {
    String text = "the quick brown fox jumps over the lazy dog's back";
    assertThat(english.decode(english.encode(text))).isEqualTo(text);
  }

  @Test
  void encodeRefusesCharactersOutsideTheLabelsNamingTheFirst() {
    assertThatThrownBy(() -> english.encode("Hello, world"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot encode 'Hello, world': character 'H' (U+0048) is not in the labels; normalise"
                + " the text in prepare (text.lowercase, text.allowed_chars) or add it to labels");
  }

  @Test
  void unsupportedNamesTheFirstOffendingCharacterOrNothing() {
    assertThat(english.unsupported("caf\u00e9 ok!"))
        .hasValue("character '\u00e9' (U+00E9) is not in the labels");
    assertThat(english.unsupported("tab\there"))
        .hasValue("character '\t' (U+0009) is not in the labels");
    assertThat(english.unsupported("fine text")).isEmpty();
  }

  @Test
  void labelsMayBeCharactersOutsideTheBasicPlane() {
    CharTokenizer tokenizer = CharTokenizer.of(List.of("a", "\uD83D\uDE00"));
    assertThat(tokenizer.encode("a\uD83D\uDE00a")).containsExactly(0, 1, 0);
    assertThat(tokenizer.decode(new int[] {1, 0})).isEqualTo("\uD83D\uDE00a");
    assertThat(tokenizer.unsupported("\uD83D\uDE01"))
        .hasValue("character '\uD83D\uDE01' (U+1F601) is not in the labels");
  }

  @Test
  void decodeRefusesTheBlankAndUnknownIds() {
    assertThatThrownBy(() -> english.decode(new int[] {1, 28}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode id 28 at position 1: label ids are 0..27 (28 is the blank; decode CTC"
                + " output with CtcDecoder first)");
    assertThatThrownBy(() -> english.decode(new int[] {-1}))
        .hasMessageStartingWith("Cannot decode id -1 at position 0");
  }

  @Test
  void labelsMustBeNonEmptyUniqueSingleCharacters() {
    assertThatThrownBy(() -> CharTokenizer.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a tokenizer: labels is empty");
    assertThatThrownBy(() -> CharTokenizer.of(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a tokenizer: label 'a' appears twice (at 0 and 2)");
    assertThatThrownBy(() -> CharTokenizer.of(List.of("a", "ch")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a tokenizer: label 1 is 'ch', expected exactly one character");
    assertThatThrownBy(() -> CharTokenizer.of(List.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build a tokenizer: label 0 is '', expected exactly one character");
  }

  @Test
  void tokenizerKeepsItsOwnCopyOfTheLabels() {
    List<String> labels = new java.util.ArrayList<>(List.of("a", "b"));
    CharTokenizer tokenizer = CharTokenizer.of(labels);
    labels.set(0, "z");
    assertThat(tokenizer.encode("ab")).containsExactly(0, 1);
    assertThatThrownBy(() -> tokenizer.labels().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
