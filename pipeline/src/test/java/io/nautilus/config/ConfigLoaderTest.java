package io.nautilus.config;

import static io.nautilus.config.TestSchemas.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void schemaDefaultsFillKeysTheYamlLeavesOut() {
    Config config = load("input:\n  manifests: [a.json]\n");

    assertThat(config.getString("name")).isEqualTo("asr");
    assertThat(config.getString("output.dir")).isNull();
    assertThat(config.getDouble("filter.min_duration")).isEqualTo(0.1);
    assertThat(config.getDouble("filter.max_duration")).isEqualTo(20.0);
    assertThat(config.getBoolean("text.lowercase")).isTrue();
    assertThat(config.getInt("trainer.max_steps")).isEqualTo(-1);
    assertThat(config.getIntList("trainer.devices")).containsExactly(0);
    assertThat(config.getLong("trainer.seed")).isEqualTo(1234L);
    assertThat(config.getDoubleList("model.optim.betas")).containsExactly(0.9, 0.98);
    assertThat(config.getMap("model.extra")).isEmpty();
    assertThat(config.getMap("spark.conf")).isEmpty();
    assertThat(config.origin("name")).isEqualTo("schema default");
  }

  @Test
  void yamlValuesAreTypedBySchema() {
    Config config =
        load(
            """
            name: "0123"
            input:
              manifests:
                - /data/train.json
                - s3://bucket/dev.json
            output.dir: /out
            filter: {min_duration: 1, max_duration: 1e3}
            text:
              lowercase: False
            trainer:
              max_steps: 2.0
              devices: [0, 1, 2]
              seed: 9007199254740993
            model:
              optim:
                lr: 3e-4
                betas: [0.8, 1]
            """);

    assertThat(config.getString("name")).isEqualTo("0123");
    assertThat(config.getStringList("input.manifests"))
        .containsExactly("/data/train.json", "s3://bucket/dev.json");
    assertThat(config.getString("output.dir")).isEqualTo("/out");
    assertThat(config.getDouble("filter.min_duration")).isEqualTo(1.0);
    assertThat(config.getDouble("filter.max_duration")).isEqualTo(1000.0);
    assertThat(config.getBoolean("text.lowercase")).isFalse();
    assertThat(config.getInt("trainer.max_steps")).isEqualTo(2);
    assertThat(config.getIntList("trainer.devices")).containsExactly(0, 1, 2);
    assertThat(config.getLong("trainer.seed")).isEqualTo(9007199254740993L);
    assertThat(config.getDouble("model.optim.lr")).isEqualTo(3e-4);
    assertThat(config.getDoubleList("model.optim.betas")).containsExactly(0.8, 1.0);
    assertThat(config.origin("trainer.devices")).isEqualTo("conf/x.yaml, line 12");
    assertThat(config.origin("output.dir")).isEqualTo("conf/x.yaml, line 6");
  }

  @Test
  void stringKeysKeepTheTextAsWritten() {
    Config config = load("input.manifests: [a]\nname: no\noutput.dir: 1.10\n");

    // YAML 1.1 would make these false and 1.1; a STRING key keeps what the user typed.
    assertThat(config.getString("name")).isEqualTo("no");
    assertThat(config.getString("output.dir")).isEqualTo("1.10");
  }

  @Test
  void quotedNullIsAStringAndPlainNullIsNull() {
    Config config = load("input.manifests: [a]\nname: 'null'\noutput.dir: ~\n");

    assertThat(config.getString("name")).isEqualTo("null");
    assertThat(config.isNull("output.dir")).isTrue();
  }

  @Test
  void mapKeysHoldFreeFormNestedValues() {
    Config config =
        load(
            """
            input.manifests: [a]
            model:
              extra:
                dropout: 0.1
                layers: 12
                act: relu
                quoted: '12'
                on: true
                none: null
                sizes: [1, 2]
                nested: {a.b: x}
            """);

    assertThat(config.getMap("model.extra"))
        .containsExactly(
            entry("dropout", 0.1),
            entry("layers", 12L),
            entry("act", "relu"),
            entry("quoted", "12"),
            entry("on", true),
            entry("none", null),
            entry("sizes", List.of(1L, 2L)),
            entry("nested", java.util.Map.of("a.b", "x")));
    assertThat(config.has("model.extra.nested.a")).isFalse();
    assertThat(config.has("model.extra.layers")).isTrue();
  }

  @Test
  void openMapTakesFreeDottedKeysAtAnyNesting() {
    Config config =
        load(
            """
            input.manifests: [a]
            spark:
              master: local[2]
              conf:
                spark.executor.memory: 4g
                spark.sql:
                  shuffle.partitions: 8
                fs.s3a.endpoint: http://minio:9000
                fs.s3a.endpoint.region: us-east-1
                spark.speculation: false
            """);

    assertThat(config.getString("spark.master")).isEqualTo("local[2]");
    assertThat(config.getMap("spark.conf"))
        .containsExactly(
            entry("spark.executor.memory", "4g"),
            entry("spark.sql.shuffle.partitions", 8L),
            entry("fs.s3a.endpoint", "http://minio:9000"),
            entry("fs.s3a.endpoint.region", "us-east-1"),
            entry("spark.speculation", false));
    assertThat(config.origin("spark.conf.spark.sql.shuffle.partitions"))
        .isEqualTo("conf/x.yaml, line 7");
  }

  @Test
  void dottedAndNestedYamlKeysAreTheSameKey() {
    Config nested = load("input:\n  manifests: [a]\ntrainer:\n  max_steps: 5\n");
    Config dotted = load("input.manifests: [a]\ntrainer.max_steps: 5\n");

    assertThat(dotted).isEqualTo(nested);
  }

  @Test
  void aNullOrEmptySectionSetsNothing() {
    Config config = load("input.manifests: [a]\ntrainer:\nfilter: {}\n");

    assertThat(config.getInt("trainer.max_steps")).isEqualTo(-1);
    assertThat(config.getDouble("filter.min_duration")).isEqualTo(0.1);
  }

  @Test
  void loadsAFileAndNamesItInOrigins() throws Exception {
    Path file = dir.resolve("asr.yaml");
    Files.writeString(file, "input:\n  manifests: [a.json]\ntrainer:\n  max_steps: 10\n");

    Config config = ConfigLoader.load(TestSchemas.job(), file, List.of("trainer.devices=[3]"));

    assertThat(config.getInt("trainer.max_steps")).isEqualTo(10);
    assertThat(config.getIntList("trainer.devices")).containsExactly(3);
    assertThat(config.origin("trainer.max_steps")).isEqualTo(file + ", line 4");
    assertThat(config.origin("trainer.devices"))
        .isEqualTo("command-line override 'trainer.devices=[3]'");
  }

  @Test
  void withoutAFileOverridesAloneMakeTheConfig() {
    Config config = ConfigLoader.load(TestSchemas.job(), null, List.of("input.manifests=[m.json]"));

    assertThat(config.getStringList("input.manifests")).containsExactly("m.json");
  }

  @Test
  void yamlTextVariantNamesTheOriginGiven() {
    Config config =
        ConfigLoader.load(
            TestSchemas.job(), "input.manifests: [a]\n", "classpath:conf/asr.yaml", List.of());

    assertThat(config.origin("input.manifests")).isEqualTo("classpath:conf/asr.yaml, line 1");
  }

  @Test
  void emptyOrCommentOnlyYamlIsAnEmptyConfig() {
    Config config = load("# nothing yet\n", "input.manifests=[a]");

    assertThat(config.getInt("trainer.max_steps")).isEqualTo(-1);
  }

  @Test
  void missingFileIsAClearError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(TestSchemas.job(), missing, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot load config: cannot read '" + missing + "': no such file");
  }

  @Test
  void directoryIsAClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(TestSchemas.job(), dir, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot load config: cannot read '" + dir + "': it is a directory");
  }

  @Test
  void nonUtf8FileIsAClearError() throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});

    assertThatThrownBy(() -> ConfigLoader.load(TestSchemas.job(), file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot load config: cannot read '" + file + "': it is not UTF-8 text");
  }

  @Test
  void syntaxErrorNamesFileLineAndProblemWithoutEchoingTheLine() {
    assertThatThrownBy(() -> load("input.manifests: [a]\ndb:\n  password: hunter2: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: invalid YAML in conf/x.yaml, line 3, column 20:"
                + " mapping values are not allowed here");
  }

  @Test
  void unclosedFlowListIsASyntaxError() {
    assertThatThrownBy(() -> load("input.manifests: [a, b\nname: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot load config: invalid YAML in conf/x.yaml, line 2");
  }

  @Test
  void topLevelListIsRejected() {
    assertThatThrownBy(() -> load("- a\n- b\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: conf/x.yaml must hold a mapping of keys at the top level,"
                + " got a list (line 1)");
  }

  @Test
  void topLevelScalarIsRejected() {
    assertThatThrownBy(() -> load("just text\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: conf/x.yaml must hold a mapping of keys at the top level,"
                + " got 'just text' (line 1)");
  }

  @Test
  void duplicateKeyNamesBothLines() {
    assertThatThrownBy(
            () -> load("input.manifests: [a]\ntrainer:\n  max_steps: 1\n  max_steps: 2\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: duplicate key 'trainer.max_steps'"
                + " (conf/x.yaml, line 4; first set on line 3)");
  }

  @Test
  void duplicateKeyAcrossDottedAndNestedFormsIsCaught() {
    assertThatThrownBy(() -> load("trainer:\n  max_steps: 1\ntrainer.max_steps: 2\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: duplicate key 'trainer.max_steps'"
                + " (conf/x.yaml, line 3; first set on line 2)");
  }

  @Test
  void duplicateKeyInsideAMapValueIsCaught() {
    assertThatThrownBy(() -> load("model.extra:\n  a: 1\n  a: 2\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: duplicate key 'model.extra.a'"
                + " (conf/x.yaml, line 3; first set on line 2)");
  }

  @Test
  void multipleDocumentsAreRejected() {
    assertThatThrownBy(() -> load("name: a\n---\nname: b\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot load config: invalid YAML in conf/x.yaml, line 2");
  }

  @Test
  void mergeKeysAreRejected() {
    assertThatThrownBy(() -> load("base: &b {max_steps: 1}\ntrainer:\n  <<: *b\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'base.max_steps' (conf/x.yaml, line 1)");
    assertThatThrownBy(() -> load("model.extra:\n  <<: {a: 1}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: YAML merge keys ('<<') are not supported (conf/x.yaml, line 2)");
  }

  @Test
  void emptyKeySegmentIsRejected() {
    assertThatThrownBy(() -> load("trainer..max_steps: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer..max_steps' has an empty segment"
                + " (conf/x.yaml, line 1)");
  }

  @Test
  void sectionGivenAScalarIsRejected() {
    assertThatThrownBy(() -> load("trainer: 5\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'trainer' is a section and must be a mapping, got '5'"
                + " (conf/x.yaml, line 1)");
  }

  @Test
  void openMapGivenAListIsRejected() {
    assertThatThrownBy(() -> load("spark.conf: [a]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'spark.conf' is an open map and must be a mapping,"
                + " got a list (conf/x.yaml, line 1)");
  }
}
