package io.nautilus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

  @Test
  void defaultsAreStoredInTheDeclaredJavaType() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .optional("a", ValueType.LONG, 5, "int literal for a long")
            .optional("b", ValueType.DOUBLE, 2, "int literal for a double")
            .optional("c", ValueType.INT, 3.0, "integral double for an int")
            .optional("d", ValueType.DOUBLE_LIST, List.of(1, 2.5), "mixed numbers")
            .build();

    assertThat(schema.key("a").orElseThrow().defaultValue()).isEqualTo(5L);
    assertThat(schema.key("b").orElseThrow().defaultValue()).isEqualTo(2.0);
    assertThat(schema.key("c").orElseThrow().defaultValue()).isEqualTo(3);
    assertThat(schema.key("d").orElseThrow().defaultValue()).isEqualTo(List.of(1.0, 2.5));
  }

  @Test
  void nullDefaultMakesAKeyNullableAndRequiredKeysAreNot() {
    ConfigSchema schema = TestSchemas.job();

    assertThat(schema.key("output.dir").orElseThrow().nullable()).isTrue();
    assertThat(schema.key("name").orElseThrow().nullable()).isFalse();
    assertThat(schema.key("input.manifests").orElseThrow().nullable()).isFalse();
    assertThat(schema.key("spark.conf").orElseThrow().nullable()).isFalse();
  }

  @Test
  void defaultOfTheWrongTypeIsAProgrammingError() {
    assertThatThrownBy(() -> ConfigSchema.builder().optional("steps", ValueType.INT, 1.5, "steps"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot declare config key 'steps': default 1.5 is not an integer");
    assertThatThrownBy(
            () -> ConfigSchema.builder().optional("m", ValueType.MAP, List.of(), "a map"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot declare config key 'm': default [] is not a mapping");
    assertThatThrownBy(
            () -> ConfigSchema.builder().optional("o", ValueType.STRING, new Object(), "odd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot declare config key 'o': default java.lang.Object@");
  }

  @Test
  void malformedKeyIsAProgrammingError() {
    assertThatThrownBy(() -> ConfigSchema.builder().required("a..b", ValueType.INT, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot declare config key 'a..b': segments must be non-empty and use only"
                + " letters, digits, '_' and '-'");
  }

  @Test
  void keyBelowAValueIsAProgrammingError() {
    ConfigSchema.Builder builder =
        ConfigSchema.builder()
            .optional("trainer", ValueType.STRING, "x", "a value")
            .optional("trainer.max_steps", ValueType.INT, 1, "below it");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot build config schema: key 'trainer.max_steps' is below 'trainer',"
                + " which is a value, not a section");
  }

  @Test
  void includeMergesSchemasAndToleratesIdenticalKeys() {
    ConfigSchema job =
        ConfigSchema.builder()
            .include(TestSchemas.spark())
            .optional("name", ValueType.STRING, "x", "name")
            .include(TestSchemas.spark())
            .build();

    assertThat(job.keys())
        .extracting(ConfigKey::name)
        .containsExactly("spark.master", "spark.conf", "name");
  }

  @Test
  void includeRejectsAKeyDeclaredDifferently() {
    ConfigSchema.Builder builder =
        ConfigSchema.builder().optional("spark.master", ValueType.STRING, "yarn", "master");

    assertThatThrownBy(() -> builder.include(TestSchemas.spark()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot declare config key 'spark.master': it is already declared differently");
  }

  @Test
  void describeListsKeyTypeDefaultAndDoc() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .required("input.manifests", ValueType.STRING_LIST, "manifests to read")
            .optional("output.dir", ValueType.STRING, null, "where outputs go")
            .optional("filter.min_duration", ValueType.DOUBLE, 0.1, "shortest kept")
            .optional("trainer.devices", ValueType.INT_LIST, List.of(0, 1), "device ids")
            .optional("model.extra", ValueType.MAP, Map.of("a", 1), "free-form")
            .openMap("spark.conf", "extra Spark conf, any keys")
            .build();

    assertThat(schema.describe())
        .isEqualTo(
            """
            KEY                  TYPE            DEFAULT  DESCRIPTION
            input.manifests      STRING_LIST     ???      manifests to read
            output.dir           STRING          null     where outputs go
            filter.min_duration  DOUBLE          0.1      shortest kept
            trainer.devices      INT_LIST        [0, 1]   device ids
            model.extra          MAP             {a: 1}   free-form
            spark.conf.*         MAP (any keys)  {}       extra Spark conf, any keys
            """);
  }

  @Test
  void schemasAreValuesAndSurviveSerialization() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(TestSchemas.job());
    }
    Object copy;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = in.readObject();
    }

    assertThat(copy).isEqualTo(TestSchemas.job()).hasSameHashCodeAs(TestSchemas.job());
  }
}
