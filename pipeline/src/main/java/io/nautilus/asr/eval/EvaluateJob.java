package io.nautilus.asr.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.io.PendingSet;
import io.nautilus.io.Storage;
import io.nautilus.prepare.ManifestLines;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.Outputs;
import io.nautilus.run.SparkText;
import io.nautilus.run.UsageException;
import io.nautilus.train.TrainedModel;
import io.nautilus.train.data.ShardSet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code evaluate} job: batch inference of a trained speech model over manifests or tarred
 * shards, one model per partition, scored with NeMo's WER and CER.
 *
 * <p>Every input line ends in {@code predictions.json} (the entry plus {@code pred_text} and its
 * errors) or in {@code rejects/rejects.json} with a reason; the driver checks the two add up to the
 * input. Outputs are written as one set and committed by the store's protocol.
 */
public final class EvaluateJob {
  public static final String PREDICTIONS = "predictions.json";
  public static final String METRICS = "metrics.json";
  public static final String REJECTS = "rejects/rejects.json";
  public static final String CONFIG = "config.yaml";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final Storage storage;
  private final PrintStream out;

  public EvaluateJob(SparkSession spark, Storage storage, PrintStream out) {
    this.spark = spark;
    this.storage = storage;
    this.out = out;
  }

  /**
   * Runs the evaluation.
   *
   * @param resolvedConfig the resolved config as YAML, written beside the outputs
   * @throws UsageException for a missing checkpoint or input, or an output that exists without
   *     overwrite
   * @throws JobFailedException when no line could be scored (the outputs are still written)
   */
  public EvaluateResult run(EvaluateOptions o, String resolvedConfig) {
    long started = System.nanoTime();
    Path output = storage.qualify(o.outputDir());
    Outputs.requireWritable(storage, output, o.overwrite());
    String checkpoint;
    try {
      checkpoint = TrainedModel.resolve(storage, o.checkpoint()).toString();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UsageException(
          "Cannot read checkpoint " + o.checkpoint() + ": " + e.getMessage(), e);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobDescription("evaluate " + o.name());
    PartitionEvaluator evaluator = new PartitionEvaluator(storage, checkpoint, o);
    long total;
    JavaRDD<Row> scored;
    if (!o.manifests().isEmpty()) {
      List<Path> manifests = ManifestLines.expand(storage, o.manifests());
      ManifestLines.Result read = ManifestLines.read(spark, manifests, storage.hadoopConf());
      total = read.total();
      int partitions =
          o.partitions() > 0
              ? o.partitions()
              : Math.max(2, spark.sparkContext().defaultParallelism() * 2);
      scored =
          read.lines()
              .select(
                  col(ManifestLines.SOURCE_INDEX),
                  col(ManifestLines.SOURCE),
                  col(ManifestLines.LINE_NUMBER),
                  col(ManifestLines.LINE),
                  col(ManifestLines.UTF8_VALID),
                  lit(null).cast("binary").as("audio"))
              .repartition(partitions)
              .javaRDD()
              .mapPartitions(evaluator);
    } else {
      ShardSet shards = shards(o.shards());
      total = shards.totalSamples();
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < shards.urls().size(); i++) {
        indexes.add(i);
      }
      int slices = o.partitions() > 0 ? Math.min(o.partitions(), indexes.size()) : indexes.size();
      scored =
          jsc.parallelize(indexes, slices)
              .mapPartitions(new ShardLines(storage, shards))
              .mapPartitions(evaluator);
    }
    out.printf(Locale.ROOT, "evaluate: %d lines with %s%n", total, Outputs.display(checkpoint));
    Dataset<Row> all =
        spark.createDataFrame(scored, EvalRows.OUTPUT).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row sums = totals(all);
      Map<String, Long> byReason = new TreeMap<>();
      for (Row r :
          all.where(col(EvalRows.REASON).isNotNull())
              .groupBy(EvalRows.REASON)
              .count()
              .collectAsList()) {
        byReason.put(r.getString(0), r.getLong(1));
      }
      long predicted = sums.getLong(0);
      long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
      if (predicted + rejected != total) {
        throw new JobFailedException(
            String.format(
                Locale.ROOT,
                "Cannot account for every line: read %d lines but %d were predicted and %d"
                    + " rejected (a bug; please report it with the input)",
                total,
                predicted,
                rejected));
      }
      EvaluateResult result =
          result(Outputs.display(output.toString()), checkpoint, total, sums, byReason, started);
      write(output, all, result, resolvedConfig);
      out.printf(
          Locale.ROOT,
          "evaluate: %d lines = %d predicted + %d rejected%s%n",
          total,
          predicted,
          rejected,
          byReason.isEmpty() ? "" : " " + byReason);
      out.println(result.summary());
      if (predicted == 0) {
        throw new JobFailedException(
            "Cannot evaluate: all "
                + total
                + " lines were rejected; see "
                + Outputs.display(new Path(output, REJECTS).toString()));
      }
      return result;
    } finally {
      all.unpersist();
    }
  }

  private ShardSet shards(List<String> locations) {
    ShardSet set;
    try {
      set = ShardSet.resolve(storage, locations);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException(e.getMessage().replace("training shards", "shards"), e);
    } catch (IOException e) {
      throw new UsageException("Cannot read shards " + locations + ": " + e.getMessage(), e);
    }
    if (set.manifests().isEmpty()) {
      throw new UsageException(
          "Cannot evaluate on "
              + locations
              + ": they are not NeMo tarred audio (no sharded_manifests/); name folders written"
              + " by `shard`");
    }
    return set;
  }

  /** (predicted, word errors, ref words, char errors, ref chars, S, I, D, audio s, model s). */
  private static Row totals(Dataset<Row> all) {
    return all.where(col(EvalRows.REASON).isNull())
        .agg(
            count(lit(1)),
            sum("word_errors"),
            sum("ref_words"),
            sum("char_errors"),
            sum("ref_chars"),
            sum("substitutions"),
            sum("insertions"),
            sum("deletions"),
            sum("audio_seconds"),
            sum("inference_seconds"))
        .first();
  }

  private static EvaluateResult result(
      String outputDir,
      String checkpoint,
      long total,
      Row s,
      Map<String, Long> byReason,
      long started) {
    long predicted = s.getLong(0);
    long wordErrors = longOr0(s, 1);
    long refWords = longOr0(s, 2);
    long charErrors = longOr0(s, 3);
    long refChars = longOr0(s, 4);
    double audio = s.isNullAt(8) ? 0 : s.getDouble(8);
    double model = s.isNullAt(9) ? 0 : s.getDouble(9);
    return new EvaluateResult(
        outputDir,
        Outputs.display(checkpoint),
        total,
        predicted,
        total - predicted,
        byReason,
        refWords == 0 ? Double.NaN : (double) wordErrors / refWords,
        refChars == 0 ? Double.NaN : (double) charErrors / refChars,
        wordErrors,
        refWords,
        charErrors,
        refChars,
        longOr0(s, 5),
        longOr0(s, 6),
        longOr0(s, 7),
        audio,
        model,
        model > 0 ? audio / model : 0,
        (System.nanoTime() - started) / 1e9);
  }

  private static long longOr0(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getLong(i);
  }

  private void write(Path output, Dataset<Row> all, EvaluateResult r, String resolvedConfig) {
    PendingSet set = Outputs.begin(storage, output, out, "evaluate output");
    try {
      Path work = set.dir();
      SparkText.writeLines(
          storage,
          all.where(col(EvalRows.REASON).isNull())
              .orderBy(EvalRows.SOURCE_INDEX, EvalRows.LINE_NUMBER)
              .select(EvalRows.JSON)
              .as(Encoders.STRING()),
          new Path(work, "_predictions_parts"),
          new Path(work, PREDICTIONS));
      SparkText.writeLines(
          storage,
          all.where(col(EvalRows.REASON).isNotNull())
              .orderBy(EvalRows.SOURCE_INDEX, EvalRows.LINE_NUMBER)
              .select(EvalRows.JSON)
              .as(Encoders.STRING()),
          new Path(work, "_rejects_parts"),
          new Path(work, REJECTS));
      storage.writeString(new Path(work, METRICS), metricsJson(r));
      storage.writeString(new Path(work, CONFIG), resolvedConfig);
      set.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write evaluate output to " + output + ": " + e.getMessage(), e);
    } finally {
      Outputs.release(set, out);
    }
  }

  static String metricsJson(EvaluateResult r) {
    ObjectNode m = JSON.createObjectNode();
    m.put("checkpoint", r.checkpoint());
    m.put("input_lines", r.inputLines());
    m.put("utterances", r.utterances());
    m.put("rejected", r.rejected());
    ObjectNode reasons = m.putObject("rejects_by_reason");
    new TreeMap<>(r.rejectsByReason()).forEach(reasons::put);
    rate(m, "wer", r.wer());
    rate(m, "cer", r.cer());
    m.put("word_errors", r.wordErrors());
    m.put("reference_words", r.referenceWords());
    m.put("char_errors", r.charErrors());
    m.put("reference_chars", r.referenceChars());
    m.put("substitutions", r.substitutions());
    m.put("insertions", r.insertions());
    m.put("deletions", r.deletions());
    m.put("audio_seconds", r.audioSeconds());
    m.put("inference_seconds", r.inferenceSeconds());
    m.put("rtfx", r.rtfx());
    m.put("wall_seconds", r.wallSeconds());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write metrics: " + e.getMessage(), e);
    }
  }

  private static void rate(ObjectNode m, String key, double rate) {
    if (Double.isNaN(rate)) {
      m.putNull(key);
    } else {
      m.put(key, rate);
    }
  }
}
