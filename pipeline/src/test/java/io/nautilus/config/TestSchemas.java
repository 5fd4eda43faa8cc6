package io.nautilus.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Schemas and helpers shared by the config tests. */
final class TestSchemas {
  static final Function<String, String> NO_ENV = name -> null;

  private TestSchemas() {}

  static ConfigSchema spark() {
    return ConfigSchema.builder()
        .optional("spark.master", ValueType.STRING, "local[*]", "Spark master URL")
        .openMap("spark.conf", "extra Spark conf, any keys")
        .build();
  }

  /** A NeMo-shaped job schema using every value type. */
  static ConfigSchema job() {
    return ConfigSchema.builder()
        .optional("name", ValueType.STRING, "asr", "experiment name")
        .required("input.manifests", ValueType.STRING_LIST, "manifests to read")
        .optional("output.dir", ValueType.STRING, null, "where outputs go")
        .optional("filter.min_duration", ValueType.DOUBLE, 0.1, "shortest kept, in seconds")
        .optional("filter.max_duration", ValueType.DOUBLE, 20, "longest kept, in seconds")
        .optional("text.lowercase", ValueType.BOOLEAN, true, "lower-case transcripts")
        .optional("trainer.max_steps", ValueType.INT, -1, "stop after this many steps")
        .optional("trainer.devices", ValueType.INT_LIST, List.of(0), "device ids")
        .optional("trainer.seed", ValueType.LONG, 1234, "random seed")
        .optional("model.optim.lr", ValueType.DOUBLE, 1e-3, "learning rate")
        .optional("model.optim.betas", ValueType.DOUBLE_LIST, List.of(0.9, 0.98), "Adam betas")
        .optional("model.extra", ValueType.MAP, Map.of(), "free-form model settings")
        .include(spark())
        .build();
  }

  static Config load(String yaml, String... overrides) {
    return ConfigLoader.load(job(), yaml, "conf/x.yaml", List.of(overrides), NO_ENV);
  }
}
