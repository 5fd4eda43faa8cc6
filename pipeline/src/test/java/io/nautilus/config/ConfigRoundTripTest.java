package io.nautilus.config;

import static io.nautilus.config.TestSchemas.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** toYaml() reloads to an equal config; Java serialization keeps everything. */
class ConfigRoundTripTest {
  private static final String TRICKY =
      """
      name: "0123"
      input.manifests:
        ['null', '???', 'yes', 'a: b', '', ' padded ', "tab\\there", 's3://b/k', '\\${x}',
         '#x', '*', 'ünïcode', "line\\nbreak", "back\\\\slash", '1e3']
      output.dir: ~
      filter: {min_duration: 1e-7, max_duration: 12345678901.5}
      text.lowercase: false
      trainer: {max_steps: -5, devices: [], seed: -9223372036854775808}
      model:
        optim: {lr: .inf, betas: [.nan, -.inf, 0.0]}
        extra:
          true: on
          '1': yes
          nested: {list: [1, 'two', 3.5, null, [x]], empty: {}, 'a.b': c}
          text: '\\${x} literal'
      spark.conf:
        spark.executor.memory: 4g
        spark.sql.shuffle.partitions: '8'
        fs.s3a.endpoint: http://minio:9000
        fs.s3a.endpoint.region: us-east-1
        flag: false
      """;

  @Test
  void toYamlReloadsToAnEqualConfig() {
    Config config = load(TRICKY);

    Config reloaded = load(config.toYaml());

    assertThat(reloaded).isEqualTo(config);
    assertThat(reloaded.toYaml()).isEqualTo(config.toYaml());
    assertThat(reloaded.getStringList("input.manifests"))
        .containsExactly(
            "null",
            "???",
            "yes",
            "a: b",
            "",
            " padded ",
            "tab\there",
            "s3://b/k",
            "${x}",
            "#x",
            "*",
            "ünïcode",
            "line\nbreak",
            "back\\slash",
            "1e3");
    assertThat(reloaded.getDoubleList("model.optim.betas").get(0)).isNaN();
  }

  @Test
  void toYamlIsReadableNestedBlockYaml() {
    Config config =
        load(
            "input.manifests: [a.json, b.json]\ntrainer.max_steps: 10\nmodel.optim.lr: 1e10\n",
            "+spark.conf.spark.executor.memory=4g");

    assertThat(config.toYaml())
        .isEqualTo(
            """
            name: asr
            input:
              manifests:
                - a.json
                - b.json
            output:
              dir: null
            filter:
              min_duration: 0.1
              max_duration: 20.0
            text:
              lowercase: true
            trainer:
              max_steps: 10
              devices:
                - 0
              seed: 1234
            model:
              optim:
                lr: 1.0e+10
                betas:
                  - 0.9
                  - 0.98
              extra: {}
            spark:
              master: "local[*]"
              conf:
                spark.executor.memory: 4g
            """);
  }

  @Test
  void interpolationsAreWrittenResolved() {
    Config config = load("input.manifests: ['${output.dir}/m.json']\noutput.dir: /out/${name}\n");

    assertThat(config.toYaml()).contains("    - /out/asr/m.json\n").contains("  dir: /out/asr\n");
  }

  @Test
  void javaSerializationKeepsValuesOriginsAndOverrides() throws Exception {
    Config config = load(TRICKY, "trainer.max_steps=7");

    Config copy = deserialize(serialize(config));

    assertThat(copy).isEqualTo(config);
    assertThat(copy.getInt("trainer.max_steps")).isEqualTo(7);
    assertThat(copy.origin("trainer.max_steps"))
        .isEqualTo("command-line override 'trainer.max_steps=7'");
    assertThat(copy.origin("name")).isEqualTo("conf/x.yaml, line 1");
    assertThat(copy.getMap("spark.conf")).containsEntry("spark.executor.memory", "4g");
    assertThat(copy.withOverrides(List.of("trainer.max_steps=8")).getInt("trainer.max_steps"))
        .isEqualTo(8);
  }

  @Test
  void withOverridesReResolvesInterpolationsAndLeavesTheOriginalAlone() {
    Config config = load("input.manifests: [a]\noutput.dir: /out/${name}\n");

    Config changed = config.withOverrides(List.of("name=ctc", "+spark.conf.x=1"));

    assertThat(changed.getString("output.dir")).isEqualTo("/out/ctc");
    assertThat(changed.getMap("spark.conf")).containsEntry("x", 1L);
    assertThat(config.getString("output.dir")).isEqualTo("/out/asr");
    assertThat(config.getMap("spark.conf")).isEmpty();
    assertThat(changed).isNotEqualTo(config);
  }

  @Test
  void equalityIgnoresWhereValuesCameFrom() {
    Config fromYaml = load("input.manifests: [a]\ntrainer.max_steps: 3\n");
    Config fromOverrides = load("", "input.manifests=[a]", "trainer.max_steps=3");

    assertThat(fromYaml).isEqualTo(fromOverrides).hasSameHashCodeAs(fromOverrides);
    assertThat(fromYaml).isNotEqualTo(load("input.manifests: [a]\ntrainer.max_steps: 4\n"));
  }

  private static byte[] serialize(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  private static Config deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (Config) in.readObject();
    }
  }
}
