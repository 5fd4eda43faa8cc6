package io.nautilus.jobs;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.prepare.PrepareResult;
import io.nautilus.run.SparkSettings;
import io.nautilus.run.UsageException;
import io.nautilus.shard.job.ShardConfig;
import io.nautilus.shard.job.ShardJob;
import io.nautilus.shard.job.ShardResult;
import io.nautilus.shard.job.ShardVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nautilus quickstart}: the pipeline on the shipped sample, as far as it exists today. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = {
      "Run prepare -> shard -> verify on the shipped speech sample (train, dev and test) and print",
      "where the outputs are. Uses data/sample/asr, conf/prepare/asr.yaml and conf/shard/asr.yaml;",
      "re-running replaces the previous output.",
      ""
    })
final class QuickstartCommand implements Callable<Integer> {
  static final List<String> SPLITS = List.of("train", "dev", "test");

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (default: out/quickstart under the Nautilus folder)")
  Path out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*])")
  String master;

  @Override
  public Integer call() {
    Path home = Home.dir();
    Path conf = home.resolve("conf/prepare/asr.yaml");
    Path shardConf = home.resolve("conf/shard/asr.yaml");
    Path sample = home.resolve("data/sample/asr");
    if (!Files.isRegularFile(conf)
        || !Files.isRegularFile(shardConf)
        || !Files.isDirectory(sample)) {
      throw new UsageException(
          "Cannot run quickstart: "
              + conf
              + " or "
              + sample
              + " is missing; run it from the Nautilus folder (./nautilus quickstart)");
    }
    Path outDir = (out == null ? home.resolve("out/quickstart") : out).toAbsolutePath();
    Map<String, Config> configs = new LinkedHashMap<>();
    for (String split : SPLITS) {
      List<String> overrides = new ArrayList<>();
      overrides.add("input.manifests=[" + sample.resolve(split + "_manifest.json") + "]");
      overrides.add("output.dir=" + outDir.resolve("prepared").resolve(split));
      overrides.add("output.overwrite=true");
      if (master != null) {
        overrides.add("spark.master=" + master);
      }
      configs.put(split, ConfigLoader.load(PrepareConfig.SCHEMA, conf, overrides));
    }
    SparkSession spark = SparkSettings.from(configs.get("train"), "nautilus-quickstart").start();
    Map<String, PrepareResult> results = new LinkedHashMap<>();
    Map<String, ShardResult> shards = new LinkedHashMap<>();
    Map<String, ShardVerifier.Report> reports = new LinkedHashMap<>();
    try {
      Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
      for (Map.Entry<String, Config> e : configs.entrySet()) {
        System.out.println("== prepare " + e.getKey());
        Config c = e.getValue();
        results.put(
            e.getKey(),
            new PrepareJob(spark, storage, System.out).run(PrepareConfig.options(c), c.toYaml()));
      }
      for (String split : SPLITS) {
        System.out.println("== shard " + split);
        Config c =
            ConfigLoader.load(
                ShardConfig.SCHEMA,
                shardConf,
                List.of(
                    "input.prepared=[" + outDir.resolve("prepared").resolve(split) + "]",
                    "output.dir=" + outDir.resolve("shards").resolve(split),
                    "output.overwrite=true",
                    "shard.num_shards=" + (split.equals("train") ? 2 : 1)));
        shards.put(
            split,
            new ShardJob(spark, storage, System.out).run(ShardConfig.options(c), c.toYaml()));
        reports.put(
            split,
            new ShardVerifier(storage).verify(outDir.resolve("shards").resolve(split).toString()));
      }
    } finally {
      spark.stop();
    }
    System.out.println();
    System.out.println("Quickstart done. Outputs under " + outDir + ":");
    for (Map.Entry<String, PrepareResult> e : results.entrySet()) {
      PrepareResult r = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "  %-5s %4d lines -> %4d accepted (%.3f h), %3d rejected   %s/manifest.json%n",
          e.getKey(),
          r.inputLines(),
          r.accepted(),
          r.acceptedHours(),
          r.rejected(),
          r.outputDir());
    }
    System.out.println("  rejects: <split>/rejects/rejects.json, stats: <split>/stats.json");
    boolean sound = true;
    for (String split : SPLITS) {
      ShardResult r = shards.get(split);
      ShardVerifier.Report v = reports.get(split);
      sound &= v.ok();
      System.out.printf(
          Locale.ROOT,
          "  %-5s %4d entries -> %d shard(s), %4d in shards, %d in the remainder; verify: %s   %s%n",
          split,
          r.entries(),
          r.shards(),
          r.inShards(),
          r.remainder(),
          v.ok() ? "sound" : v.problems().size() + " problem(s) " + v.problems(),
          r.outputDir());
    }
    return sound ? Main.OK : Main.FAILED;
  }
}
