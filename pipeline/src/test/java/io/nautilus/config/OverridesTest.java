package io.nautilus.config;

import static io.nautilus.config.TestSchemas.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverridesTest {
  private static final String BASE = "input.manifests: [a]\n";

  @Test
  void overrideValuesAreTypedLikeYamlFlowValues() {
    Config config =
        load(
            BASE,
            "trainer.devices=[1,2]",
            "text.lowercase=true",
            "filter.min_duration=0.5",
            "output.dir=null",
            "name='quoted str'",
            "model.optim.lr=1e-4",
            "trainer.max_steps=1e3");

    assertThat(config.getIntList("trainer.devices")).containsExactly(1, 2);
    assertThat(config.getBoolean("text.lowercase")).isTrue();
    assertThat(config.getDouble("filter.min_duration")).isEqualTo(0.5);
    assertThat(config.getString("output.dir")).isNull();
    assertThat(config.getString("name")).isEqualTo("quoted str");
    assertThat(config.getDouble("model.optim.lr")).isEqualTo(1e-4);
    assertThat(config.getInt("trainer.max_steps")).isEqualTo(1000);
  }

  @Test
  void overridesWinOverYamlAndLaterOverridesWinOverEarlier() {
    Config config =
        load(BASE + "trainer.max_steps: 10\n", "trainer.max_steps=20", "trainer.max_steps=30");

    assertThat(config.getInt("trainer.max_steps")).isEqualTo(30);
    assertThat(config.origin("trainer.max_steps"))
        .isEqualTo("command-line override 'trainer.max_steps=30'");
  }

  @Test
  void unquotedValueIsTakenLiterallyEvenWithYamlSyntaxInside() {
    Config config = load(BASE, "name=Q: {context} # A: {answer}", "output.dir=s3://b/x y");

    assertThat(config.getString("name")).isEqualTo("Q: {context} # A: {answer}");
    assertThat(config.getString("output.dir")).isEqualTo("s3://b/x y");
  }

  @Test
  void quotedNullAndEmptyValueAreStrings() {
    assertThat(load(BASE, "output.dir='null'").getString("output.dir")).isEqualTo("null");
    assertThat(load(BASE, "output.dir=").getString("output.dir")).isEmpty();
    assertThat(load(BASE, "output.dir=\"a\\tb\"").getString("output.dir")).isEqualTo("a\tb");
  }

  @Test
  void valueMayContainEqualsSigns() {
    assertThat(load(BASE, "name=a=b").getString("name")).isEqualTo("a=b");
  }

  @Test
  void plusAddsAKeyBelowAnOpenMap() {
    Config config = load(BASE, "+spark.conf.spark.executor.memory=4g", "++spark.conf.x=1");

    assertThat(config.getMap("spark.conf"))
        .containsExactly(entry("spark.executor.memory", "4g"), entry("x", 1L));
    assertThat(config.origin("spark.conf.spark.executor.memory"))
        .isEqualTo("command-line override '+spark.conf.spark.executor.memory=4g'");
  }

  @Test
  void plainOverrideOfAnExistingOpenMapKeyNeedsNoPlus() {
    Config config =
        load(
            BASE + "spark.conf: {spark.executor.memory: 2g}\n",
            "spark.conf.spark.executor.memory=8g");

    assertThat(config.getMap("spark.conf")).containsExactly(entry("spark.executor.memory", "8g"));
  }

  @Test
  void plainOverrideOfANewOpenMapKeyHintsAtPlus() {
    assertThatThrownBy(() -> load(BASE, "spark.conf.spark.executor.memory=4g"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'spark.conf.spark.executor.memory'"
                + " (command-line override 'spark.conf.spark.executor.memory=4g');"
                + " use '+spark.conf.spark.executor.memory=4g' to add a new key below"
                + " 'spark.conf'");
  }

  @Test
  void plusOnADeclaredKeySetsIt() {
    assertThat(load(BASE, "+trainer.max_steps=7").getInt("trainer.max_steps")).isEqualTo(7);
  }

  @Test
  void plusCannotAddAKeyOutsideAnOpenMap() {
    assertThatThrownBy(() -> load(BASE, "+trainer.max_step=7"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: cannot add unknown key 'trainer.max_step'"
                + " (command-line override '+trainer.max_step=7'): new keys can only be added"
                + " below an open map (spark.conf); did you mean 'trainer.max_steps'?");
  }

  @Test
  void plainOverrideOfAnUnknownKeySuggestsTheNearest() {
    assertThatThrownBy(() -> load(BASE, "trainer.max_step=7"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'trainer.max_step'"
                + " (command-line override 'trainer.max_step=7'); did you mean"
                + " 'trainer.max_steps'?");
  }

  @Test
  void plusAddsAndPlainSetsEntriesOfAMapValue() {
    Config config =
        load(
            BASE + "model.extra: {dropout: 0.1, enc: {layers: 4}}\n",
            "model.extra.dropout=0.2",
            "+model.extra.enc.heads=8",
            "+model.extra.act=gelu");

    assertThat(config.getMap("model.extra"))
        .containsExactly(
            entry("dropout", 0.2),
            entry("enc", Map.of("layers", 4L, "heads", 8L)),
            entry("act", "gelu"));
    assertThat(config.has("model.extra.enc.heads")).isTrue();
    // A MAP value is one key: its origin is the last layer that changed it.
    assertThat(config.origin("model.extra.enc.heads"))
        .isEqualTo("command-line override '+model.extra.act=gelu'");
  }

  @Test
  void plainOverrideOfANewMapEntryHintsAtPlus() {
    assertThatThrownBy(() -> load(BASE, "model.extra.act=gelu"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'model.extra.act'"
                + " (command-line override 'model.extra.act=gelu');"
                + " use '+model.extra.act=gelu' to add a new key below 'model.extra'");
  }

  @Test
  void flowMappingSetsASectionOrAMapValue() {
    Config config =
        load(BASE, "trainer={max_steps: 5, devices: [0, 1]}", "model.extra={a: {b: 1}}");

    assertThat(config.getInt("trainer.max_steps")).isEqualTo(5);
    assertThat(config.getIntList("trainer.devices")).containsExactly(0, 1);
    assertThat(config.getMap("model.extra")).containsExactly(entry("a", Map.of("b", 1L)));
  }

  @Test
  void flowMappingForASectionStillRejectsUnknownKeys() {
    assertThatThrownBy(() -> load(BASE, "trainer={max_stepz: 5}"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'trainer.max_stepz'"
                + " (command-line override 'trainer={max_stepz: 5}');"
                + " did you mean 'trainer.max_steps'?");
  }

  @Test
  void overrideWithoutEqualsIsRejected() {
    assertThatThrownBy(() -> load(BASE, "trainer.max_steps"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: override 'trainer.max_steps' must look like 'key=value'"
                + " (or '+key=value' to add a key)");
    assertThatThrownBy(() -> load(BASE, "=5"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: override '=5' must look like 'key=value'"
                + " (or '+key=value' to add a key)");
  }

  @Test
  void removalIsNotSupported() {
    assertThatThrownBy(() -> load(BASE, "~trainer.max_steps"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: override '~trainer.max_steps' removes a key,"
                + " which is not supported; set it instead");
  }

  @Test
  void malformedKeyIsRejected() {
    assertThatThrownBy(() -> load(BASE, "trainer..max_steps=1"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: override 'trainer..max_steps=1' has an invalid key"
                + " 'trainer..max_steps'");
  }

  @Test
  void brokenFlowValueIsAYamlError() {
    assertThatThrownBy(() -> load(BASE, "trainer.devices=[1,2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "Cannot load config: invalid YAML in the value of command-line override"
                + " 'trainer.devices=[1,2', line 1, column ");
  }

  @Test
  void quoteFollowedByMoreTextIsRejected() {
    assertThatThrownBy(() -> load(BASE, "name='a' [b]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "Cannot load config: invalid YAML in the value of command-line override"
                + " 'name='a' [b]'");
  }

  @Test
  void sectionGivenAScalarOverrideIsRejected() {
    assertThatThrownBy(() -> load(BASE, "trainer=5"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer' is a section and must be a mapping, got '5'"
                + " (command-line override 'trainer=5')");
  }

  @Test
  void noOverridesIsFine() {
    assertThat(ConfigLoader.load(TestSchemas.job(), BASE, "x.yaml", List.of()).keys())
        .contains("input.manifests");
  }
}
