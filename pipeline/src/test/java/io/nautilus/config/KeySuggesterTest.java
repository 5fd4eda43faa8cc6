package io.nautilus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggesterTest {
  private static final List<String> KEYS =
      List.of(
          "trainer.max_steps",
          "trainer.max_epochs",
          "model.train_ds.batch_size",
          "model.validation_ds.batch_size",
          "model.optim.lr",
          "name");

  @Test
  void typoInTheFullKeyFindsIt() {
    assertThat(KeySuggester.suggest("trainer.max_step", KEYS)).contains("trainer.max_steps");
    assertThat(KeySuggester.suggest("trainr.max_epochs", KEYS)).contains("trainer.max_epochs");
    assertThat(KeySuggester.suggest("model.optim.lrr", KEYS)).contains("model.optim.lr");
  }

  @Test
  void lastSegmentFindsAKeyInAnotherSectionPreferringTheClosestPath() {
    assertThat(KeySuggester.suggest("max_steps", KEYS)).contains("trainer.max_steps");
    assertThat(KeySuggester.suggest("model.validation.batch_size", KEYS))
        .contains("model.validation_ds.batch_size");
    assertThat(KeySuggester.suggest("model.train.batch_sise", KEYS))
        .contains("model.train_ds.batch_size");
  }

  @Test
  void keyBelowAValueSuggestsTheValue() {
    assertThat(KeySuggester.suggest("trainer.max_steps.value", KEYS)).contains("trainer.max_steps");
  }

  @Test
  void nothingCloseGivesNoSuggestion() {
    assertThat(KeySuggester.suggest("spark.master", KEYS)).isEmpty();
    assertThat(KeySuggester.suggest("xy", KEYS)).isEmpty();
    assertThat(KeySuggester.suggest("anything", List.of())).isEmpty();
  }

  @Test
  void distanceIsLevenshtein() {
    assertThat(KeySuggester.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(KeySuggester.distance("", "abc")).isEqualTo(3);
    assertThat(KeySuggester.distance("same", "same")).isZero();
  }
}
