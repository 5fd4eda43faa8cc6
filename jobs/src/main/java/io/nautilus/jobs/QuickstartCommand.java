package io.nautilus.jobs;

import io.nautilus.asr.eval.EvaluateConfig;
import io.nautilus.asr.eval.EvaluateJob;
import io.nautilus.asr.eval.EvaluateResult;
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
import io.nautilus.train.TrainConfig;
import io.nautilus.train.TrainJob;
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

/** {@code nautilus quickstart}: the whole pipeline on the shipped speech sample. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = {
      "Run prepare -> shard (16 kHz) -> verify -> train (W = 2, a small convolutional CTC model, a",
      "few minutes) -> evaluate on the shipped speech sample (train, dev and test), and print WER/CER",
      "and where the outputs are. Uses data/sample/asr, conf/prepare/asr.yaml, conf/shard/asr.yaml,",
      "conf/asr/conv_ctc_small.yaml and conf/evaluate/asr.yaml; re-running replaces the previous",
      "output. The sample is tiny (76 training utterances): the point is the loop, not the WER.",
      ""
    })
final class QuickstartCommand implements Callable<Integer> {
  static final List<String> SPLITS = List.of("train", "dev", "test");
  static final int TRAIN_EPOCHS = 8;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (default: out/quickstart under the Nautilus folder)")
  Path out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*])")
  String master;

  @Override
  public Integer call() throws java.io.IOException {
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
    TrainJob.Result trained;
    EvaluateResult evaluated;
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
                    // The model hears 16 kHz; the sample is espeak's 22.05 kHz.
                    "audio.codec=wav",
                    "audio.sample_rate=16000",
                    "shard.num_shards=" + (split.equals("train") ? 2 : 1)));
        shards.put(
            split,
            new ShardJob(spark, storage, System.out).run(ShardConfig.options(c), c.toYaml()));
        reports.put(
            split,
            new ShardVerifier(storage).verify(outDir.resolve("shards").resolve(split).toString()));
      }
      System.out.println("== train (W = 2)");
      Path experiments = outDir.resolve("experiments");
      storage.deleteRecursively(storage.qualify(experiments.resolve("quickstart").toString()));
      Config trainConfig =
          ConfigLoader.load(
              TrainConfig.SCHEMA,
              home.resolve("conf/asr/conv_ctc_small.yaml"),
              List.of(
                  "name=quickstart",
                  "trainer.devices=2",
                  "trainer.max_epochs=" + TRAIN_EPOCHS,
                  "trainer.log_every_n_steps=5",
                  "model.micro_batch_size=4",
                  "model.global_batch_size=8",
                  "model.optim.sched.warmup_steps=10",
                  "model.train_ds.shards=[" + outDir.resolve("shards/train") + "]",
                  "model.validation_ds.shards=[" + outDir.resolve("shards/dev") + "]",
                  "exp_manager.exp_dir=" + experiments));
      trained =
          TrainJob.run(
              spark, storage, TrainConfig.options(trainConfig), "nautilus quickstart", System.out);
      System.out.println("== evaluate test");
      Config evalConfig =
          ConfigLoader.load(
              EvaluateConfig.SCHEMA,
              home.resolve("conf/evaluate/asr.yaml"),
              List.of(
                  "model.checkpoint=" + trained.versionDir(),
                  "input.shards=[" + outDir.resolve("shards/test") + "]",
                  "output.dir=" + outDir.resolve("evaluation/test"),
                  "output.overwrite=true"));
      evaluated =
          new EvaluateJob(spark, storage, System.out)
              .run(EvaluateConfig.options(evalConfig), evalConfig.toYaml());
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
    System.out.printf(
        Locale.ROOT,
        "  train: %d steps, experiment %s%n"
            + "         checkpoints: checkpoints/, TensorBoard: events.out.tfevents.*, metrics.csv%n",
        trained.rank0().steps(),
        trained.versionDir());
    System.out.printf(
        Locale.ROOT,
        "  evaluate test: WER %.2f%%, CER %.2f%% on %d utterances, RTFx %.0f   %s%n",
        100 * evaluated.wer(),
        100 * evaluated.cer(),
        evaluated.utterances(),
        evaluated.rtfx(),
        outDir.resolve("evaluation/test/predictions.json"));
    return sound ? Main.OK : Main.FAILED;
  }
}
