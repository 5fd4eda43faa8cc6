package io.nautilus.config;

import static io.nautilus.config.TestSchemas.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Unknown keys, missing mandatory values and wrong types, each reported on one line at load. */
class ConfigValidationTest {

  @Test
  void unknownKeyNamesFileLineAndNearestKey() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: x\ntrainer:\n  max_step: 10\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'trainer.max_step' (conf/x.yaml, line 4);"
                + " did you mean 'trainer.max_steps'?");
  }

  @Test
  void unknownSectionIsReportedAtItsFullKey() {
    assertThatThrownBy(() -> load("traner:\n  max_steps: 10\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'traner.max_steps' (conf/x.yaml, line 2);"
                + " did you mean 'trainer.max_steps'?");
  }

  @Test
  void keyInTheWrongSectionSuggestsTheKeyWithThatName() {
    assertThatThrownBy(() -> load("model:\n  max_steps: 10\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'model.max_steps' (conf/x.yaml, line 2);"
                + " did you mean 'trainer.max_steps'?");
  }

  @Test
  void unknownKeyFarFromAnyKeyHasNoSuggestion() {
    assertThatThrownBy(() -> load("completely_unrelated: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot load config: unknown key 'completely_unrelated' (conf/x.yaml, line 1)");
  }

  @Test
  void unknownEmptySectionIsStillUnknown() {
    assertThatThrownBy(() -> load("optimizer: {}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot load config: unknown key 'optimizer' (conf/x.yaml, line 1)");
  }

  @Test
  void keyBelowAValueIsUnknown() {
    assertThatThrownBy(() -> load("trainer.max_steps.value: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'trainer.max_steps.value' (conf/x.yaml, line 1);"
                + " did you mean 'trainer.max_steps'?");
  }

  @Test
  void missingRequiredValueNamesTheKey() {
    assertThatThrownBy(() -> load("name: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: missing mandatory value for key 'input.manifests'"
                + " (required by the schema); set it in the YAML file or with the override"
                + " 'input.manifests=...'");
  }

  @Test
  void yamlCanMarkAnOptionalKeyMandatory() {
    assertThatThrownBy(() -> load("input.manifests: [a]\noutput:\n  dir: ???\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: missing mandatory value for key 'output.dir'"
                + " (conf/x.yaml, line 3); set it in the YAML file or with the override"
                + " 'output.dir=...'");
  }

  @Test
  void overrideSuppliesAValueTheYamlMarkedMandatory() {
    Config config = load("input.manifests: ???\n", "input.manifests=[a.json, b.json]");

    assertThat(config.getStringList("input.manifests")).containsExactly("a.json", "b.json");
  }

  @Test
  void quotedQuestionMarksAreAString() {
    Config config = load("input.manifests: [a]\nname: '???'\n");

    assertThat(config.getString("name")).isEqualTo("???");
  }

  @Test
  void wrongTypeFromOverrideNamesTheOverride() {
    assertThatThrownBy(() -> load("input.manifests: [a]\n", "trainer.max_steps=abc"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer.max_steps' must be an integer, got 'abc'"
                + " (command-line override 'trainer.max_steps=abc')");
  }

  @Test
  void wrongTypeFromYamlNamesFileAndLine() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nfilter:\n  min_duration: short\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'filter.min_duration' must be a number, got 'short'"
                + " (conf/x.yaml, line 3)");
  }

  @Test
  void nonIntegralDoubleIsNotAnInteger() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ntrainer.max_steps: 2.5\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer.max_steps' must be an integer, got '2.5'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void integerOutOfRangeNamesTheRange() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ntrainer.max_steps: 3e9\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer.max_steps' must be an integer between"
                + " -2147483648 and 2147483647, got '3e9' (conf/x.yaml, line 2)");
    assertThatThrownBy(() -> load("input.manifests: [a]\ntrainer.seed: 99999999999999999999\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer.seed' must be an integer between"
                + " -9223372036854775808 and 9223372036854775807, got '99999999999999999999'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void hugeExponentIsRejectedWithoutExpandingIt() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ntrainer.max_steps: 1e999999999\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be an integer between");
    assertThatThrownBy(() -> load("input.manifests: [a]\nmodel.optim.lr: 1e400\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'model.optim.lr' must be a number within the range of a"
                + " double, got '1e400' (conf/x.yaml, line 2)");
  }

  @Test
  void yesIsNotABoolean() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ntext.lowercase: yes\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'text.lowercase' must be a boolean (true or false),"
                + " got 'yes' (conf/x.yaml, line 2)");
  }

  @Test
  void nullForANonNullableKeyIsRejected() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nfilter.min_duration: null\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'filter.min_duration' must be a number, got null"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void scalarForAListIsRejected() {
    assertThatThrownBy(() -> load("input.manifests: a.json\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'input.manifests' must be a list of strings,"
                + " got 'a.json' (conf/x.yaml, line 1)");
  }

  @Test
  void badListElementShowsTheList() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ntrainer.devices: [0, x]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer.devices' must be a list of integers,"
                + " got '[0, x]' (conf/x.yaml, line 2)");
  }

  @Test
  void nullListElementIsRejected() {
    assertThatThrownBy(() -> load("input.manifests: [a, null]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'input.manifests' must be a list of strings,"
                + " got '[a, null]' (conf/x.yaml, line 1)");
  }

  @Test
  void mappingForAScalarIsRejected() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: {first: a}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' must be a string, got '{first: a}'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void scalarForAMapKeyIsRejected() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nmodel.extra: 5\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'model.extra' must be a mapping, got '5'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void openMapValuesMustBeScalars() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nspark.conf:\n  spark.jars: [a, b]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'spark.conf.spark.jars' must be a string, number or"
                + " boolean (keys below the open map 'spark.conf' take scalar values),"
                + " got '[a, b]' (conf/x.yaml, line 3)");
  }

  @Test
  void unknownKeyIsReportedBeforeMissingValues() {
    // The typo is the cause of the missing value; report it, not its consequence.
    assertThatThrownBy(() -> load("input.manifest: [a]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'input.manifest' (conf/x.yaml, line 1);"
                + " did you mean 'input.manifests'?");
  }
}
