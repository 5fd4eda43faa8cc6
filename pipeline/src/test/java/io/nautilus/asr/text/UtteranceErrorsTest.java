package io.nautilus.asr.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UtteranceErrorsTest {

  @Test
  void substitutionAndDeletionGiveTwoErrorsInSixWords() {
    UtteranceErrors errors = UtteranceErrors.of("the cat sat on the mat", "the cat sit on mat");
    assertThat(errors.wordErrors()).isEqualTo(2);
    assertThat(errors.referenceWords()).isEqualTo(6);
    assertThat(errors.substitutions()).isEqualTo(1);
    assertThat(errors.deletions()).isEqualTo(1);
    assertThat(errors.insertions()).isZero();
    assertThat(errors.wer()).isEqualTo(2.0 / 6);
    // Characters: a -> i, then "the " deleted; 'i' is nowhere in the reference, so 4 is too few.
    assertThat(errors.charErrors()).isEqualTo(5);
    assertThat(errors.referenceChars()).isEqualTo(22);
    assertThat(errors.cer()).isEqualTo(5.0 / 22);
  }

  @Test
  void anExtraWordIsAnInsertion() {
    UtteranceErrors errors = UtteranceErrors.of("hello world", "hello big world");
    assertThat(errors)
        .isEqualTo(new UtteranceErrors("hello world", "hello big world", 1, 2, 4, 11, 0, 1, 0));
    assertThat(errors.wer()).isEqualTo(0.5);
    assertThat(errors.cer()).isEqualTo(4.0 / 11);
  }

  @Test
  void werCanExceedOne() {
    UtteranceErrors errors = UtteranceErrors.of("yes", "no no no");
    assertThat(errors.substitutions()).isEqualTo(1);
    assertThat(errors.insertions()).isEqualTo(2);
    assertThat(errors.wer()).isEqualTo(3.0);
  }

  @Test
  void wordsAreSplitOnAnyRunOfWhitespaceButCharactersKeepEverySpace() {
    UtteranceErrors errors = UtteranceErrors.of("a b", "  a \t b\n");
    assertThat(errors.wordErrors()).isZero();
    assertThat(errors.referenceWords()).isEqualTo(2);
    // CER compares the raw strings: the 8 characters hold "a b" in order, so 5 insertions.
    // b".
    assertThat(errors.charErrors()).isEqualTo(5);
    assertThat(errors.referenceChars()).isEqualTo(3);
  }

  @Test
  void charactersAreCodePoints() {
    UtteranceErrors errors = UtteranceErrors.of("\uD83D\uDE00a", "\uD83D\uDE01a");
    assertThat(errors.referenceChars()).isEqualTo(2);
    assertThat(errors.charErrors()).isEqualTo(1);
  }

  @Test
  void emptyReferenceCountsHypothesisWordsAsInsertionsAndHasNoRate() {
    UtteranceErrors errors = UtteranceErrors.of("", "uh huh");
    assertThat(errors.referenceWords()).isZero();
    assertThat(errors.wordErrors()).isEqualTo(2);
    assertThat(errors.insertions()).isEqualTo(2);
    assertThat(errors.charErrors()).isEqualTo(6);
    assertThat(errors.wer()).isNaN();
    assertThat(errors.cer()).isNaN();
  }

  @Test
  void emptyHypothesisDeletesEveryWord() {
    UtteranceErrors errors = UtteranceErrors.of("one two three", "");
    assertThat(errors.deletions()).isEqualTo(3);
    assertThat(errors.wer()).isEqualTo(1.0);
    assertThat(errors.cer()).isEqualTo(1.0);
  }

  @Test
  void bothEmptyIsNoErrorAndNoRate() {
    UtteranceErrors errors = UtteranceErrors.of("", "");
    assertThat(errors.wordErrors()).isZero();
    assertThat(errors.charErrors()).isZero();
    assertThat(errors.wer()).isNaN();
  }

  @Test
  void editKindsMustAddUpToTheWordErrors() {
    assertThatThrownBy(() -> new UtteranceErrors("a", "b", 1, 1, 1, 1, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot record utterance errors: 1 substitutions + 1 insertions + 0 deletions != 1"
                + " word errors");
  }
}
