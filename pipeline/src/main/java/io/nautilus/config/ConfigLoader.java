package io.nautilus.config;

import io.nautilus.config.RawConfig.Entry;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads a {@link Config}: schema defaults, then the YAML file, then command-line overrides, then
 * interpolation, then validation. Any user mistake is a {@link ConfigException} with one line
 * naming the full key and where its value came from, so a job fails before it does any work.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads a config from an optional YAML file and overrides such as {@code trainer.max_steps=100}
   * or {@code +spark.conf.spark.executor.memory=4g}.
   *
   * @throws ConfigException for any mistake in the file or overrides
   */
  public static Config load(ConfigSchema schema, Path yamlFileOrNull, List<String> overrides) {
    Objects.requireNonNull(schema, "schema is null");
    if (yamlFileOrNull == null) {
      return load(schema, null, null, overrides, System::getenv);
    }
    return load(schema, read(yamlFileOrNull), yamlFileOrNull.toString(), overrides, System::getenv);
  }

  /**
   * Loads a config from YAML text, e.g. a classpath resource or a remote file.
   *
   * @param originName names the text in messages, e.g. {@code classpath:conf/asr.yaml}
   * @throws ConfigException for any mistake in the text or overrides
   */
  public static Config load(
      ConfigSchema schema, String yamlText, String originName, List<String> overrides) {
    Objects.requireNonNull(yamlText, "yamlText is null");
    Objects.requireNonNull(originName, "originName is null");
    return load(schema, yamlText, originName, overrides, System::getenv);
  }

  /** As the public loads, with the environment that {@code ${oc.env:VAR}} reads given. */
  static Config load(
      ConfigSchema schema,
      String yamlTextOrNull,
      String originName,
      List<String> overrides,
      Function<String, String> env) {
    Objects.requireNonNull(schema, "schema is null");
    RawConfig raw = RawConfig.defaults(schema);
    if (yamlTextOrNull != null) {
      NodeWalker.forFile(schema, raw, originName)
          .walkDocument(YamlSource.parse(yamlTextOrNull, originName));
    }
    Overrides.apply(schema, raw, overrides);
    return resolve(schema, raw, env);
  }

  /** Interpolates and types the merged layers; also used by {@link Config#withOverrides}. */
  static Config resolve(ConfigSchema schema, RawConfig raw, Function<String, String> env) {
    raw.entries()
        .forEach(
            (key, entry) -> {
              if (entry.value().isMandatory()) {
                throw Errors.of(
                    "missing mandatory value for key '"
                        + key
                        + "' ("
                        + entry.origin()
                        + "); set it in the YAML file or with the override '"
                        + key
                        + "=...'");
              }
            });
    Interpolator.Result resolved = Interpolator.resolve(schema, raw.entries(), env);

    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Map<String, Object>> openMaps = new LinkedHashMap<>();
    for (ConfigKey key : schema.keys()) {
      if (key.openMap()) {
        openMaps.put(key.name(), new LinkedHashMap<>());
      }
    }
    Map<String, String> origins = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : resolved.entries().entrySet()) {
      String key = e.getKey();
      RawValue value = e.getValue().value();
      String origin = e.getValue().origin();
      origins.put(key, origin);
      KeyPlacement placement = schema.place(key);
      if (placement.kind() == KeyPlacement.Kind.OPEN_ENTRY) {
        if (!(value instanceof RawValue.Scalar scalar)) {
          throw Errors.of(
              "key '"
                  + key
                  + "' must be a string, number or boolean (keys below the open map '"
                  + placement.key().name()
                  + "' take scalar values), got "
                  + Errors.shown(key, value)
                  + " ("
                  + origin
                  + ")");
        }
        openMaps
            .get(placement.key().name())
            .put(placement.subKey(key), TypedValues.implicitScalar(scalar));
      } else {
        values.put(key, typed(placement.key(), value, origin));
      }
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (ConfigKey key : schema.keys()) {
      ordered.put(
          key.name(),
          key.openMap()
              ? Collections.unmodifiableMap(openMaps.get(key.name()))
              : values.get(key.name()));
    }
    return new Config(schema, raw, ordered, origins, resolved.derivedSecrets());
  }

  private static Object typed(ConfigKey key, RawValue value, String origin) {
    Object typed;
    try {
      typed = TypedValues.convert(value, key.type());
    } catch (TypedValues.Mismatch e) {
      throw wrongType(key.name(), e.expected(), value, origin);
    }
    if (typed == null && !key.nullable()) {
      throw wrongType(key.name(), key.type().description(), value, origin);
    }
    return typed;
  }

  private static ConfigException wrongType(
      String key, String expected, RawValue value, String origin) {
    return Errors.of(
        "key '"
            + key
            + "' must be "
            + expected
            + ", got "
            + Errors.shown(key, value)
            + " ("
            + origin
            + ")");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw unreadable(file, "no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(file, "permission denied");
    } catch (CharacterCodingException e) {
      throw unreadable(file, "it is not UTF-8 text");
    } catch (IOException e) {
      throw unreadable(file, Files.isDirectory(file) ? "it is a directory" : e.toString());
    }
  }

  private static ConfigException unreadable(Path file, String reason) {
    return Errors.of("cannot read '" + file + "': " + reason);
  }
}
