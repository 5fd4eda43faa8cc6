package io.nautilus.asr.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ErrorRatesTest {

  @Test
  void corpusRatesSumEditsOverSumOfReferenceLengths() {
    ErrorRates rates = new ErrorRates();
    rates.add("the cat sat on the mat", "the cat sit on mat");
    rates.add("hello world", "hello big world");
    assertThat(rates.utterances()).isEqualTo(2);
    assertThat(rates.wordErrors()).isEqualTo(3);
    assertThat(rates.referenceWords()).isEqualTo(8);
    assertThat(rates.substitutions()).isEqualTo(1);
    assertThat(rates.deletions()).isEqualTo(1);
    assertThat(rates.insertions()).isEqualTo(1);
    assertThat(rates.wer()).isEqualTo(3.0 / 8);
    assertThat(rates.charErrors()).isEqualTo(9);
    assertThat(rates.referenceChars()).isEqualTo(33);
    assertThat(rates.cer()).isEqualTo(9.0 / 33);
  }

  @Test
  void corpusWerIsNotTheMeanOfUtteranceWers() {
    ErrorRates rates = new ErrorRates();
    UtteranceErrors wrong = rates.add("yes", "no");
    UtteranceErrors right = rates.add("a b c d e f g h i j", "a b c d e f g h i j");
    double mean = (wrong.wer() + right.wer()) / 2;
    assertThat(mean).isEqualTo(0.5);
    assertThat(rates.wer()).isEqualTo(1.0 / 11).isNotEqualTo(mean);
  }

  @Test
  void emptyReferenceAddsInsertionsButNoReferenceWords() {
    ErrorRates rates = new ErrorRates();
    rates.add("", "oops");
    rates.add("a b", "a b");
    assertThat(rates.insertions()).isEqualTo(1);
    assertThat(rates.wer()).isEqualTo(0.5);
    assertThat(rates.cer()).isEqualTo(4.0 / 3);
  }

  @Test
  void werIsRefusedWhenNoReferenceHasAWord() {
    ErrorRates rates = new ErrorRates();
    rates.add("", "noise");
    rates.add("  ", "");
    assertThatThrownBy(rates::wer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot compute WER: the 2 references hold no words; evaluate on transcribed audio");
    assertThat(rates.cer()).isEqualTo(7.0 / 2);
  }

  @Test
  void ratesOfAnEmptyCorpusAreRefused() {
    ErrorRates rates = new ErrorRates();
    assertThatThrownBy(rates::cer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot compute CER: the 0 references hold no characters; evaluate on transcribed"
                + " audio");
  }

  @Test
  void mergingPartitionsEqualsAddingEverythingToOne() {
    String[][] pairs = {
      {"one two three", "one too three"}, {"four", ""}, {"", "five"}, {"x y", "x y z"}
    };
    ErrorRates all = new ErrorRates();
    ErrorRates left = new ErrorRates();
    ErrorRates right = new ErrorRates();
    for (int i = 0; i < pairs.length; i++) {
      all.add(pairs[i][0], pairs[i][1]);
      (i % 2 == 0 ? left : right).add(pairs[i][0], pairs[i][1]);
    }
    ErrorRates merged = left.merge(right);
    assertThat(merged).usingRecursiveComparison().isEqualTo(all);
    assertThat(merged.wer()).isEqualTo(4.0 / 6);
  }

  @Test
  void accumulatorSurvivesJavaSerialization() throws Exception {
    ErrorRates rates = new ErrorRates();
    rates.add("the cat", "a cat");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rates);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ErrorRates copy = (ErrorRates) in.readObject();
      assertThat(copy.wer()).isEqualTo(0.5);
      assertThat(copy.substitutions()).isEqualTo(1);
    }
  }
}
