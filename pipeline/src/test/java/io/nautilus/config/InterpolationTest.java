package io.nautilus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {
  private static final Map<String, String> ENV =
      Map.of("DATA_ROOT", "/mnt/data", "STEPS", "250", "EMPTY", "");

  private static Config load(String yaml, String... overrides) {
    return ConfigLoader.load(TestSchemas.job(), yaml, "conf/x.yaml", List.of(overrides), ENV::get);
  }

  @Test
  void wholeValueReferenceKeepsTheReferencedTypeAndEmbeddingGivesText() {
    Config config =
        load(
            """
            input.manifests: [a, b]
            trainer.max_steps: 40
            model.extra:
              steps: ${trainer.max_steps}
              files: ${input.manifests}
              rate: ${model.optim.lr}
              label: ${trainer.max_steps}0
            """);

    assertThat(config.getMap("model.extra"))
        .containsExactly(
            entry("steps", 40L),
            entry("files", List.of("a", "b")),
            entry("rate", 0.001),
            entry("label", "400"));
  }

  @Test
  void referenceToAListFillsAListKey() {
    Config config =
        load("input.manifests: [a.json, b.json]\n", "+model.extra.m=${input.manifests}");

    assertThat(config.getMap("model.extra"))
        .containsExactly(entry("m", List.of("a.json", "b.json")));
  }

  @Test
  void referenceConvertsToTheTargetKeysType() {
    Config config =
        load("input.manifests: [a]\nname: ${trainer.max_steps}\ntrainer.max_steps: 12\n");

    assertThat(config.getString("name")).isEqualTo("12");
  }

  @Test
  void embeddedReferencesAreConcatenated() {
    Config config =
        load(
            """
            name: run-${trainer.max_steps}-${text.lowercase}
            input.manifests: ['${output.dir}/train.json', '${output.dir}/dev.json']
            output.dir: /exp/${name}
            trainer.max_steps: 100
            """);

    assertThat(config.getString("name")).isEqualTo("run-100-true");
    assertThat(config.getString("output.dir")).isEqualTo("/exp/run-100-true");
    assertThat(config.getStringList("input.manifests"))
        .containsExactly("/exp/run-100-true/train.json", "/exp/run-100-true/dev.json");
  }

  @Test
  void referencesSeeOverridesAndDefaults() {
    Config config = load("input.manifests: [a]\noutput.dir: /out/${name}\n", "name=ctc");

    assertThat(config.getString("output.dir")).isEqualTo("/out/ctc");
  }

  @Test
  void environmentVariablesAreStringsTypedByTheKey() {
    Config config =
        load(
            """
            input.manifests: ['${oc.env:DATA_ROOT}/train.json']
            trainer.max_steps: ${oc.env:STEPS}
            name: ${oc.env:EMPTY}
            """);

    assertThat(config.getStringList("input.manifests")).containsExactly("/mnt/data/train.json");
    assertThat(config.getInt("trainer.max_steps")).isEqualTo(250);
    assertThat(config.getString("name")).isEmpty();
  }

  @Test
  void environmentDefaultsApplyWhenTheVariableIsUnset() {
    Config config =
        load(
            """
            input.manifests: [a]
            trainer.max_steps: ${oc.env:NO_SUCH_VAR, 7}
            output.dir: ${oc.env:NO_SUCH_VAR,null}
            name: ${oc.env:NO_SUCH_VAR,'x, y'}
            model.optim.lr: ${oc.env:STEPS,1}
            """);

    assertThat(config.getInt("trainer.max_steps")).isEqualTo(7);
    assertThat(config.isNull("output.dir")).isTrue();
    assertThat(config.getString("name")).isEqualTo("x, y");
    assertThat(config.getDouble("model.optim.lr")).isEqualTo(250.0);
  }

  @Test
  void unsetEnvironmentVariableWithoutDefaultIsAnError() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: ${oc.env:NO_SUCH_VAR}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' refers to environment variable 'NO_SUCH_VAR',"
                + " which is not set; set it or give a default: '${oc.env:NO_SUCH_VAR,default}'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void escapedInterpolationIsLiteral() {
    Config config = load("input.manifests: [a]\nname: 'cost: \\${x} and ${trainer.max_steps}'\n");

    assertThat(config.getString("name")).isEqualTo("cost: ${x} and -1");
  }

  @Test
  void cycleIsNamed() {
    assertThatThrownBy(
            () -> load("input.manifests: [a]\nname: ${output.dir}\noutput.dir: x/${name}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: interpolation cycle 'name' -> 'output.dir' -> 'name'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void selfReferenceIsACycle() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: ${name}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: interpolation cycle 'name' -> 'name' (conf/x.yaml, line 2)");
  }

  @Test
  void danglingReferenceNamesTheKeyAndSuggests() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: run-${trainer.max_step}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' refers to unknown key 'trainer.max_step' in"
                + " '${trainer.max_step}' (conf/x.yaml, line 2); did you mean"
                + " 'trainer.max_steps'?");
  }

  @Test
  void referenceToAnUnsetOpenMapKeyIsDangling() {
    assertThatThrownBy(
            () ->
                load(
                    "input.manifests: [a]\nname: ${spark.conf.ap}\n"
                        + "spark.conf: {app: x, spark.master: y}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' refers to 'spark.conf.ap' in '${spark.conf.ap}',"
                + " which is not set (conf/x.yaml, line 2); did you mean 'spark.conf.app'?");
  }

  @Test
  void referencesReachOpenMapKeysAndMapEntries() {
    Config config =
        load(
            """
            input.manifests: [a]
            spark.conf: {spark.app.name: asr}
            model.extra: {enc: {dim: 256}}
            name: ${spark.conf.spark.app.name}-${model.extra.enc.dim}
            """);

    assertThat(config.getString("name")).isEqualTo("asr-256");
  }

  @Test
  void referenceToASectionIsAnError() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: ${trainer}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' refers to 'trainer' in '${trainer}', which is a"
                + " section, not a value (conf/x.yaml, line 2)");
  }

  @Test
  void embeddingAListOrNullIsAnError() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: x-${input.manifests}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' embeds '${input.manifests}' in a longer string,"
                + " but it is a list; only strings, numbers and booleans can be embedded"
                + " (conf/x.yaml, line 2)");
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: x-${output.dir}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' embeds '${output.dir}' in a longer string,"
                + " but it is null; only strings, numbers and booleans can be embedded"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void unsupportedResolverIsNamed() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: ${now:%Y}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' uses the unsupported resolver '${now:%Y}'; only"
                + " '${key}', '${oc.env:VAR}' and '${oc.env:VAR,default}' are supported"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void unterminatedAndNestedInterpolationsAreErrors() {
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: 'a ${name'\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' has an unterminated interpolation in 'a ${name'"
                + " (conf/x.yaml, line 2)");
    assertThatThrownBy(() -> load("input.manifests: [a]\nname: ${oc.env:X,${output.dir}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'name' has a nested interpolation in"
                + " '${oc.env:X,${output.dir}}', which is not supported (conf/x.yaml, line 2)");
  }

  @Test
  void typeErrorAfterInterpolationShowsTheResolvedValue() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ntrainer.max_steps: ${name}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer.max_steps' must be an integer, got 'asr'"
                + " (conf/x.yaml, line 2)");
  }

  @Test
  void schemaDefaultsMayInterpolate() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .required("exp_dir", ValueType.STRING, "experiment directory")
            .optional("log_dir", ValueType.STRING, "${exp_dir}/logs", "where logs go")
            .build();

    Config config = ConfigLoader.load(schema, null, List.of("exp_dir=/exp"));

    assertThat(config.getString("log_dir")).isEqualTo("/exp/logs");
  }
}
