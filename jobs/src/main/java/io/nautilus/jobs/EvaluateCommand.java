package io.nautilus.jobs;

import io.nautilus.asr.eval.EvaluateConfig;
import io.nautilus.asr.eval.EvaluateJob;
import io.nautilus.asr.eval.EvaluateOptions;
import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.run.SparkSettings;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nautilus evaluate}: distributed batch inference of a speech model with WER and CER. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Transcribe a test set with a trained speech model on Spark (one model per partition,",
      "utterances batched by duration) and score it with NeMo's WER and CER. Writes",
      "predictions.json (each entry + pred_text + its errors), metrics.json (WER, CER, S/I/D,",
      "RTFx), rejects/rejects.json (lines that could not be scored, with the reason) and",
      "config.yaml.",
      "",
      "Example:",
      "  ./nautilus evaluate -c conf/evaluate/asr.yaml model.checkpoint=out/experiments/conv_ctc_small/<version> \\",
      "      input.manifests=[data/sample/asr/test_manifest.json] output.dir=out/eval/test",
      ""
    },
    footerHeading = "%nConfig keys (set in the YAML file or as key=value):%n")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin JobOptions job;

  @Override
  public Integer call() {
    Config cfg = ConfigLoader.load(EvaluateConfig.SCHEMA, job.config, job.withFlags());
    if (job.printConfig) {
      System.out.print(cfg.toYaml());
      return Main.OK;
    }
    EvaluateOptions options = EvaluateConfig.options(cfg);
    SparkSession spark = SparkSettings.from(cfg, "nautilus-evaluate").start();
    try {
      new EvaluateJob(spark, Storage.of(spark.sparkContext().hadoopConfiguration()), System.out)
          .run(options, cfg.toYaml());
      return Main.OK;
    } finally {
      spark.stop();
    }
  }

  static String[] footer() {
    return EvaluateConfig.SCHEMA.describe().split("\n");
  }
}
