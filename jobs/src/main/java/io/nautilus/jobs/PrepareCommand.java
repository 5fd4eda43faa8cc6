package io.nautilus.jobs;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.prepare.PrepareOptions;
import io.nautilus.prepare.PrepareResult;
import io.nautilus.run.SparkSettings;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
      "",
      "Re-running on the same manifests and config prints 'Nothing to do' and exits 0; other",
      "manifests or config need --overwrite. For scheduled runs over growing manifests, use",
      "--incremental: each run reads only new manifests and appended lines into runs/run-NNNNN/,",
      "and prepare_state.json adds up the runs (see README, 'Scheduling the data jobs').",
      ""
    },
    footerHeading = "%nConfig keys (set in the YAML file or as key=value):%n")
final class PrepareCommand implements Callable<Integer> {
  @Mixin JobOptions job;

  @Option(
      names = "--incremental",
      description =
          "read only manifests and appended lines that earlier runs into this output did not"
              + " (output.incremental=true)")
  boolean incremental;

  PrepareCommand() {}

  @Override
  public Integer call() {
    List<String> overrides = job.withFlags();
    if (incremental) {
      overrides.add("output.incremental=true");
    }
    Config cfg = ConfigLoader.load(PrepareConfig.SCHEMA, job.config, overrides);
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
