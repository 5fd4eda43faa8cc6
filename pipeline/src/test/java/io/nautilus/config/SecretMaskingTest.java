package io.nautilus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user must never see a credential echoed back, in toYaml() or in any error message. */
class SecretMaskingTest {
  private static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional("db.user", ValueType.STRING, "app", "database user")
          .optional("db.password", ValueType.STRING, null, "database password")
          .optional("db.url", ValueType.STRING, null, "database URL")
          .optional("hf.authToken", ValueType.STRING, null, "Hugging Face token")
          .optional("s3.access_key", ValueType.STRING, null, "S3 access key")
          .optional("api.client_secret", ValueType.STRING, "default-secret", "OAuth secret")
          .optional("api.token_ttl", ValueType.INT, 60, "token lifetime, seconds")
          .optional("tokenizer.pad_token", ValueType.STRING, "<pad>", "padding token")
          .optional("tokenizer.max_tokens", ValueType.INT, 512, "longest input")
          .optional("extra", ValueType.MAP, Map.of(), "free-form")
          .openMap("spark.conf", "extra Spark conf")
          .build();

  private static Config load(String yaml, String... overrides) {
    return ConfigLoader.load(
        SCHEMA, yaml, "conf/x.yaml", List.of(overrides), Map.of("DB_PASSWORD", "pw-from-env")::get);
  }

  @Test
  void secretKeysRecognizeCommonCredentialNames() {
    assertThat(SecretKeys.isSecret("db.password")).isTrue();
    assertThat(SecretKeys.isSecret("db.PASSWORD_FILE")).isTrue();
    assertThat(SecretKeys.isSecret("hf.authToken")).isTrue();
    assertThat(SecretKeys.isSecret("hf_token")).isTrue();
    assertThat(SecretKeys.isSecret("api.client_secret")).isTrue();
    assertThat(SecretKeys.isSecret("s3.access_key")).isTrue();
    assertThat(SecretKeys.isSecret("aws.accessKey")).isTrue();
    assertThat(SecretKeys.isSecret("spark.hadoop.fs.s3a.access.key")).isTrue();
    assertThat(SecretKeys.isSecret("spark.hadoop.fs.s3a.secret.key")).isTrue();
    assertThat(SecretKeys.isSecret("fs.s3a.session.token")).isTrue();

    assertThat(SecretKeys.isSecret("tokenizer.model")).isFalse();
    assertThat(SecretKeys.isSecret("model.tokenizer")).isFalse();
    assertThat(SecretKeys.isSecret("max_tokens")).isFalse();
    assertThat(SecretKeys.isSecret("tokenizer.pad_token")).isFalse();
    assertThat(SecretKeys.isSecret("tokenizer.eos_token")).isFalse();
    assertThat(SecretKeys.isSecret("index.key")).isFalse();
    assertThat(SecretKeys.isSecret("primary_key")).isFalse();
  }

  @Test
  void toYamlMasksSecretValuesButNotOtherValues() {
    Config config =
        load(
            """
            db.password: hunter2
            hf.authToken: hf_abc
            s3.access_key: AKIA123
            tokenizer.pad_token: <pad>
            api.token_ttl: 30
            extra: {nested: {password: p1, user: u1}, api_key: k1}
            spark.conf:
              spark.hadoop.fs.s3a.secret.key: s3cr3t
              spark.hadoop.fs.s3a.access.key: 12345
              spark.executor.memory: 4g
            """);

    String yaml = config.toYaml();

    assertThat(yaml)
        .doesNotContain("hunter2", "hf_abc", "AKIA123", "default-secret", "p1", "k1", "s3cr3t")
        .doesNotContain("12345")
        .contains("  password: \"*****\"\n")
        .contains("  authToken: \"*****\"\n")
        .contains("  access_key: \"*****\"\n")
        .contains("  client_secret: \"*****\"\n")
        .contains("  pad_token: \"<pad>\"\n")
        .contains("  token_ttl: 30\n")
        .contains("    user: u1\n")
        .contains("    spark.hadoop.fs.s3a.secret.key: \"*****\"\n")
        .contains("    spark.executor.memory: 4g\n");
    assertThat(config.toString()).isEqualTo(yaml);
    assertThat(config.getString("db.password")).isEqualTo("hunter2");
    assertThat(config.toYamlUnmasked()).contains("hunter2", "s3cr3t");
  }

  @Test
  void nullSecretsPrintAsNull() {
    assertThat(load("").toYaml()).contains("  password: null\n");
  }

  @Test
  void valuesBuiltFromSecretsAreMaskedToo() {
    Config config =
        load(
            """
            db.password: hunter2
            db.url: postgres://app:${db.password}@db:5432/x
            db.user: ${oc.env:DB_PASSWORD}
            """);

    assertThat(config.getString("db.url")).isEqualTo("postgres://app:hunter2@db:5432/x");
    assertThat(config.toYaml())
        .doesNotContain("hunter2", "pw-from-env")
        .contains("  url: \"*****\"\n")
        .contains("  user: \"*****\"\n");
  }

  @Test
  void maskedConfigStillLoadsWithItsSchema() {
    Config config =
        load(
            """
            db.password: hunter2
            db.url: x-${db.password}
            extra:
              tokens: [1, 2]
              credentials: {user: bob, keys: [k1, k2], enabled: true}
            spark.conf.fs.s3a.access.key: 12345
            """);

    String yaml = config.toYaml();
    Config reloaded = ConfigLoader.load(SCHEMA, yaml, "masked.yaml", List.of());

    assertThat(yaml).doesNotContain("hunter2", "bob", "k1", "12345");
    assertThat(reloaded.getMap("extra"))
        .isEqualTo(
            Map.of(
                "tokens", List.of(1L, 2L),
                "credentials",
                    Map.of("user", "*****", "keys", List.of("*****", "*****"), "enabled", true)));
    assertThat(reloaded.getMap("spark.conf")).containsEntry("fs.s3a.access.key", "*****");
    assertThat(reloaded.getString("db.url")).isEqualTo("*****");
    assertThat(reloaded.toYaml()).isEqualTo(yaml);
  }

  @Test
  void wrongTypeErrorDoesNotEchoASecret() {
    assertThatThrownBy(() -> load("extra:\n  password: [hunter2]\n", "api.token_ttl=hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'api.token_ttl' must be an integer, got '*****'"
                + " (command-line override 'api.token_ttl=*****')");
  }

  @Test
  void mappingShownInAnErrorMasksItsSecretEntries() {
    assertThatThrownBy(() -> load("db.user: {name: bob, password: hunter2}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'db.user' must be a string,"
                + " got '{name: bob, password: *****}' (conf/x.yaml, line 1)");
  }

  @Test
  void overrideOriginMasksTheSecretValue() {
    Config config = load("", "db.password=hunter2");

    assertThat(config.origin("db.password")).isEqualTo("command-line override 'db.password=*****'");
  }

  @Test
  void misspelledSecretOverrideIsMaskedInTheUnknownKeyError() {
    assertThatThrownBy(() -> load("", "db.pasword=hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'db.pasword'"
                + " (command-line override 'db.pasword=*****'); did you mean 'db.password'?");
  }

  @Test
  void overrideMissingItsEqualsSignShowsOnlyItsFirstWord() {
    assertThatThrownBy(() -> load("", "db.password hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: override 'db.password ...' must look like 'key=value'"
                + " (or '+key=value' to add a key)");
  }

  @Test
  void invalidSecretKeyOverrideIsMasked() {
    assertThatThrownBy(() -> load("", "db .password=hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: override 'db .password=*****' has an invalid key"
                + " 'db .password'");
  }

  @Test
  void plusHintForASecretOpenMapKeyIsMasked() {
    assertThatThrownBy(() -> load("", "spark.conf.fs.s3a.secret.key=hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: unknown key 'spark.conf.fs.s3a.secret.key'"
                + " (command-line override 'spark.conf.fs.s3a.secret.key=*****');"
                + " use '+spark.conf.fs.s3a.secret.key=*****' to add a new key below"
                + " 'spark.conf'");
  }

  @Test
  void syntaxErrorOnASecretLineDoesNotQuoteTheLine() {
    assertThatThrownBy(() -> load("db:\n  password: hunter2\n   user: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("hunter2")
        .hasMessageStartingWith("Cannot load config: invalid YAML in conf/x.yaml, line 3");
  }

  @Test
  void unterminatedInterpolationInASecretIsMasked() {
    assertThatThrownBy(() -> load("db.password: 'hunter2${x'\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot load config: key 'db.password' has an unterminated interpolation in"
                + " '*****' (conf/x.yaml, line 1)");
  }

  @Test
  void describeMasksSecretDefaults() {
    assertThat(SCHEMA.describe()).doesNotContain("default-secret").contains("*****");
  }
}
