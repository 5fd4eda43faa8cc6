package io.nautilus.jobs;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.prepare.PrepareOptions;
import io.nautilus.prepare.PrepareResult;
import io.nautilus.run.SparkSettings;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nautilus prepare}: validate, normalise, filter and count NeMo manifests. */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description = {
      "Validate, normalise and filter NeMo JSONL manifests into an accepted dataset.",
      "Writes manifest.json + accepted.parquet, rejects/ with a reason per line, and stats.json.",
      "Every input line ends up accepted or rejected; the counts are checked and printed.",
      "",
      "Example:",
      "  ./nautilus prepare -c conf/prepare/asr.yaml \\",
      "      input.manifests=[data/sample/asr/train_manifest.json] output.dir=out/prepared \\",
      "      filter.max_duration=20",
      ""
    },
    footerHeading = "%nConfig keys (set in the YAML file or as key=value):%n")
final class PrepareCommand implements Callable<Integer> {
  @Mixin JobOptions job;

  PrepareCommand() {}

  @Override
  public Integer call() {
    Config cfg = ConfigLoader.load(PrepareConfig.SCHEMA, job.config, job.withFlags());
    if (job.printConfig) {
      System.out.print(cfg.toYaml());
      return Main.OK;
    }
    PrepareOptions options = PrepareConfig.options(cfg);
    SparkSession spark = SparkSettings.from(cfg, "nautilus-prepare").start();
    try {
      PrepareResult r =
          new PrepareJob(spark, Storage.of(spark.sparkContext().hadoopConfiguration()), System.out)
              .run(options, cfg.toYaml());
      return r.inputLines() == r.accepted() + r.rejected() ? Main.OK : Main.FAILED;
    } finally {
      spark.stop();
    }
  }

  /** The schema listing shown under --help. */
  static String[] footer() {
    return PrepareConfig.SCHEMA.describe().split("\n");
  }
}
