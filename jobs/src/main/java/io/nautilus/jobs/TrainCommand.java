package io.nautilus.jobs;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.run.SparkSettings;
import io.nautilus.run.UsageException;
import io.nautilus.train.TrainConfig;
import io.nautilus.train.TrainJob;
import io.nautilus.train.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nautilus train}: data-parallel training in one Spark barrier stage. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model data-parallel: one Spark barrier stage of W = trainer.num_nodes x",
      "trainer.devices tasks, one DJL (PyTorch) trainer each, gradients averaged by ring",
      "all-reduce. Writes exp_dir/name/version/ (hparams.yaml, cmd-args.log, checkpoints/,",
      "TensorBoard events, metrics.csv). A failed stage is re-run up to trainer.max_restarts",
      "times from the newest valid checkpoint.",
      "",
      "Example (the reference character LM on the SFT sample, W = 2):",
      "  ./nautilus shard -c conf/shard/sft.yaml input.manifests=[data/sample/sft/train.jsonl] \\",
      "      output.dir=out/wds/sft-train",
      "  ./nautilus train -c conf/train/char_lm.yaml model.train_ds.shards=[out/wds/sft-train]",
      ""
    },
    footerHeading = "%nConfig keys (set in the YAML file or as key=value):%n")
final class TrainCommand implements Callable<Integer> {
  @Mixin JobOptions job;

  @Override
  public Integer call() throws Exception {
    if (job.overwrite) {
      throw new UsageException(
          "Cannot use --overwrite with train: every run gets its own version folder; to continue"
              + " one, set exp_manager.resume_if_exists=true");
    }
    List<String> all = new ArrayList<>(job.overrides);
    if (job.master != null) {
      all.add("spark.master=" + job.master);
    }
    Config cfg = ConfigLoader.load(TrainConfig.SCHEMA, job.config, all);
    if (job.printConfig) {
      System.out.print(cfg.toYaml());
      return Main.OK;
    }
    TrainOptions options = TrainConfig.options(cfg);
    if (cfg.isNull("spark.master") && System.getProperty("spark.master") == null) {
      // A barrier stage needs all W tasks running at once: give local mode W slots at least.
      int slots = Math.max(options.worldSize(), Runtime.getRuntime().availableProcessors());
      cfg = cfg.withOverrides(List.of("spark.master=local[" + slots + "]"));
    }
    SparkSession spark = SparkSettings.from(cfg, "nautilus-train").start();
    try {
      TrainJob.run(
          spark,
          Storage.of(spark.sparkContext().hadoopConfiguration()),
          options,
          "nautilus train " + String.join(" ", commandLine()),
          System.out);
      return Main.OK;
    } finally {
      spark.stop();
    }
  }

  private List<String> commandLine() {
    List<String> args = new ArrayList<>();
    if (job.config != null) {
      args.add("-c " + job.config);
    }
    args.addAll(job.overrides);
    return args;
  }

  static String[] footer() {
    return TrainConfig.SCHEMA.describe().split("\n");
  }
}
