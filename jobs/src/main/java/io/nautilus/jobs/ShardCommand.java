package io.nautilus.jobs;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.run.SparkSettings;
import io.nautilus.shard.job.ShardConfig;
import io.nautilus.shard.job.ShardJob;
import io.nautilus.shard.job.ShardOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nautilus shard}: a prepared dataset to NeMo tarred audio shards. */
@Command(
    name = "shard",
    mixinStandardHelpOptions = true,
    description = {
      "Write a prepared dataset as NeMo tarred audio shards: audio_{i}.tar, sharded_manifests/,",
      "tarred_audio_manifest.json, metadata.yaml, plus shard_index.json (md5, counts) and stats.",
      "Deterministic: the same input and seed give byte-identical shards and manifests.",
      "",
      "Example:",
      "  ./nautilus shard -c conf/shard/asr.yaml input.prepared=[out/prepared/train] \\",
      "      output.dir=out/shards/train shard.num_shards=4",
      ""
    },
    footerHeading = "%nConfig keys (set in the YAML file or as key=value):%n")
final class ShardCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML config (e.g. conf/shard/asr.yaml)")
  Path config;

  @Option(names = "--overwrite", description = "replace an existing output (output.overwrite=true)")
  boolean overwrite;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (spark.master=URL)")
  String master;

  @Option(names = "--print-config", description = "print the resolved config and exit")
  boolean printConfig;

  @Parameters(paramLabel = "KEY=VALUE", description = "overrides: key.sub=value, +key=value")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> all = new ArrayList<>(overrides);
    if (overwrite) {
      all.add("output.overwrite=true");
    }
    if (master != null) {
      all.add("spark.master=" + master);
    }
    Config cfg = ConfigLoader.load(ShardConfig.SCHEMA, config, all);
    if (printConfig) {
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

  static String[] footer() {
    return ShardConfig.SCHEMA.describe().split("\n");
  }
}
