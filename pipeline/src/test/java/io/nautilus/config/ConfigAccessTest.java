package io.nautilus.config;

import static io.nautilus.config.TestSchemas.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Getters, has, isNull, keys and origin; misuse is an IllegalArgumentException. */
class ConfigAccessTest {
  private final Config config =
      load(
          "input.manifests: [a]\nmodel.extra: {enc: {dim: 4, act: null}}\n",
          "+spark.conf.spark.speculation=true");

  @Test
  void getterForAnUndeclaredKeyIsAProgrammingError() {
    assertThatThrownBy(() -> config.getString("trainer.max_step"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot get config key 'trainer.max_step': it is not declared in the schema");
  }

  @Test
  void getterOfTheWrongTypeIsAProgrammingError() {
    assertThatThrownBy(() -> config.getLong("trainer.max_steps"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot get config key 'trainer.max_steps' as LONG: it is declared as INT");
    assertThatThrownBy(() -> config.getString("input.manifests"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot get config key 'input.manifests' as STRING: it is declared as STRING_LIST");
  }

  @Test
  void hasCoversDeclaredKeysOpenMapEntriesAndMapPaths() {
    assertThat(config.has("trainer.max_steps")).isTrue();
    assertThat(config.has("output.dir")).isTrue();
    assertThat(config.has("spark.conf")).isTrue();
    assertThat(config.has("spark.conf.spark.speculation")).isTrue();
    assertThat(config.has("spark.conf.spark.master")).isFalse();
    assertThat(config.has("model.extra.enc.dim")).isTrue();
    assertThat(config.has("model.extra.enc.act")).isTrue();
    assertThat(config.has("model.extra.dec")).isFalse();
    assertThat(config.has("trainer")).isFalse();
    assertThat(config.has("nope")).isFalse();
  }

  @Test
  void isNullTellsNullFromMissing() {
    assertThat(config.isNull("output.dir")).isTrue();
    assertThat(config.isNull("name")).isFalse();
    assertThat(config.isNull("model.extra.enc.act")).isTrue();
    assertThat(config.isNull("spark.conf.spark.speculation")).isFalse();
    assertThatThrownBy(() -> config.isNull("model.extra.dec"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find config key 'model.extra.dec': it has no value");
  }

  @Test
  void keysAreTheDeclaredKeysInSchemaOrder() {
    assertThat(config.keys())
        .containsExactly(
            "name",
            "input.manifests",
            "output.dir",
            "filter.min_duration",
            "filter.max_duration",
            "text.lowercase",
            "trainer.max_steps",
            "trainer.devices",
            "trainer.seed",
            "model.optim.lr",
            "model.optim.betas",
            "model.extra",
            "spark.master",
            "spark.conf");
  }

  @Test
  void originNamesTheLayerThatSetEachValue() {
    assertThat(config.origin("input.manifests")).isEqualTo("conf/x.yaml, line 1");
    assertThat(config.origin("model.extra.enc.dim")).isEqualTo("conf/x.yaml, line 2");
    assertThat(config.origin("spark.conf.spark.speculation"))
        .isEqualTo("command-line override '+spark.conf.spark.speculation=true'");
    assertThat(config.origin("trainer.seed")).isEqualTo("schema default");
    assertThatThrownBy(() -> config.origin("trainer"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find config key 'trainer': it has no value");
  }

  @Test
  void returnedCollectionsAreUnmodifiable() {
    assertThatThrownBy(() -> config.getStringList("input.manifests").add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.getMap("spark.conf").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.getMap("model.extra").put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
