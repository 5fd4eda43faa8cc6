package io.nautilus.jobs;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.run.SparkSettings;
import io.nautilus.shard.job.ShardConfig;
import io.nautilus.shard.job.ShardJob;
import io.nautilus.shard.job.ShardOptions;
import io.nautilus.shard.wds.WdsConfig;
import io.nautilus.shard.wds.WdsJob;
import io.nautilus.shard.wds.WdsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nautilus shard}: a prepared dataset to NeMo tarred audio shards. */
@Command(
    name = "shard",
    mixinStandardHelpOptions = true,
    description = {
      "Write a prepared dataset as NeMo tarred audio shards: audio_{i}.tar, sharded_manifests/,",
      "tarred_audio_manifest.json, metadata.yaml, plus shard_index.json (md5, counts) and stats.",
      "With format: webdataset, write text/SFT or image-text JSONL as {name}-{000000..N}.tar",
      "WebDataset shards (maxcount, maxsize) with a wids index, rejects and stats.",
      "Deterministic: the same input and seed give byte-identical shards and manifests.",
      "",
      "Example:",
      "  ./nautilus shard -c conf/shard/asr.yaml input.prepared=[out/prepared/train] \\",
      "      output.dir=out/shards/train shard.num_shards=4",
      "",
      "Re-running on the same prepared data and config prints 'Nothing to do' and exits 0.",
      "For scheduled runs, use --append: new prepared data (new runs of a 'prepare --incremental'",
      "output) and the last remainder become new shards numbered after the existing ones, with",
      "tarred_audio_manifest_version_{v}.json and metadata_version_{v}.yaml (NeMo's concatenation).",
      ""
    },
    footerHeading = "%nConfig keys (set in the YAML file or as key=value):%n")
final class ShardCommand implements Callable<Integer> {
  @Mixin JobOptions job;

  @Option(
      names = "--append",
      description =
          "add shards for prepared data not sharded yet after the existing ones"
              + " (output.append=true)")
  boolean append;

  @Override
  public Integer call() {
    List<String> all = job.withFlags();
    if (append) {
      all.add("output.append=true");
    }
    String format = format(job.config, all);
    if (format.equals("webdataset")) {
      return webdataset(all);
    }
    if (!format.equals("nemo_audio")) {
      throw new ConfigException(
          "Cannot load config: format must be nemo_audio or webdataset, got '" + format + "'");
    }
    Config cfg = ConfigLoader.load(ShardConfig.SCHEMA, job.config, all);
    if (job.printConfig) {
      System.out.print(cfg.toYaml());
      return Main.OK;
    }
    ShardOptions options = ShardConfig.options(cfg);
    SparkSession spark = SparkSettings.from(cfg, "nautilus-shard").start();
    try {
      new ShardJob(spark, Storage.of(spark.sparkContext().hadoopConfiguration()), System.out)
          .run(options, cfg.toYaml());
      return Main.OK;
    } finally {
      spark.stop();
    }
  }

  private int webdataset(List<String> all) {
    Config cfg = ConfigLoader.load(WdsConfig.SCHEMA, job.config, all);
    if (job.printConfig) {
      System.out.print(cfg.toYaml());
      return Main.OK;
    }
    WdsOptions options = WdsConfig.options(cfg);
    SparkSession spark = SparkSettings.from(cfg, "nautilus-shard-webdataset").start();
    try {
      new WdsJob(spark, Storage.of(spark.sparkContext().hadoopConfiguration()), System.out)
          .run(options, cfg.toYaml());
      return Main.OK;
    } finally {
      spark.stop();
    }
  }

  /** The mode: a format=... override, else the YAML file's top-level format key. */
  static String format(Path config, List<String> overrides) {
    for (String o : overrides) {
      if (o.startsWith("format=")) {
        return o.substring("format=".length());
      }
    }
    if (config == null) {
      return "nemo_audio";
    }
    try {
      Object doc = new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(config));
      if (doc instanceof java.util.Map<?, ?> m && m.get("format") instanceof String f) {
        return f;
      }
      return "nemo_audio";
    } catch (java.io.IOException | RuntimeException e) {
      // The loader reports unreadable or malformed YAML with its own clear message.
      return "nemo_audio";
    }
  }

  static String[] footer() {
    List<String> lines = new ArrayList<>(List.of(ShardConfig.SCHEMA.describe().split("\n")));
    lines.add("");
    lines.add(
        "WebDataset mode (format: webdataset; conf/shard/sft.yaml, conf/shard/image_text.yaml):");
    lines.addAll(List.of(WdsConfig.SCHEMA.describe().split("\n")));
    return lines.toArray(new String[0]);
  }
}
