package io.nautilus.prepare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.io.MediaPaths;
import io.nautilus.io.PendingSet;
import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.Outputs;
import io.nautilus.run.Progress;
import io.nautilus.run.SparkText;
import io.nautilus.run.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The prepare job: manifests in, validated records out, every line accounted for.
 *
 * <p>All outputs are written as one set and committed by the store's {@link
 * io.nautilus.io.CommitProtocol}: a staging directory renamed into place (local, HDFS), or files
 * written in place and sealed by a commit marker (S3). A crashed run never leaves a readable mix.
 */
public final class PrepareJob {
  public static final String MANIFEST = "manifest.json";
  public static final String ACCEPTED = "accepted.parquet";
  public static final String REJECTS = "rejects/rejects.json";
  public static final String STATS = "stats.json";
  public static final String SUMMARY = "summary.txt";
  public static final String CONFIG = "config.yaml";

  private final SparkSession spark;
  private final Storage storage;
  private final PrintStream out;

  public PrepareJob(SparkSession spark, Storage storage, PrintStream out) {
    this.spark = spark;
    this.storage = storage;
    this.out = out;
  }

  /**
   * Runs prepare.
   *
   * @param resolvedConfig the fully resolved config as YAML, written beside the output
   * @throws UsageException for missing inputs or an output that exists without overwrite
   * @throws JobFailedException when more than max_reject_fraction of the lines are rejected
   */
  public PrepareResult run(PrepareOptions o, String resolvedConfig) {
    List<Path> manifests = ManifestLines.expand(storage, o.manifests());
    Path output = storage.qualify(o.outputDir());
    Outputs.requireWritable(storage, output, o.overwrite());
    List<String> roots = new ArrayList<>();
    for (String r : o.allowedRoots()) {
      roots.add(storage.qualify(r).toString());
    }
    MediaPaths paths = MediaPaths.withRoots(roots);
    long started = System.nanoTime();
    PendingSet set = Outputs.begin(storage, output, out, "prepare output");
    Path work = set.dir();
    try (Progress progress = Progress.start(spark.sparkContext(), out, 5000)) {
      progress.step("prepare: numbering manifest lines");
      ManifestLines.Result lines = ManifestLines.read(spark, manifests, storage.hadoopConf());

      Dataset<Row> checked = RecordChecks.apply(lines.lines(), o);
      int partitions =
          o.partitions() > 0
              ? o.partitions()
              : Math.max(2, spark.sparkContext().defaultParallelism() * 2);
      MediaProbe probe = new MediaProbe(storage, paths, o.fullDecode(), checked.schema());
      Dataset<Row> probed =
          checked
              .repartition(partitions)
              .mapPartitions(probe, Encoders.row(MediaProbe.outSchema(checked.schema())));
      Dataset<Row> all = TextAndFilters.apply(probed, o).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        progress.step("prepare: validating, probing media, filtering");
        Map<String, Long> byReason = countRejects(all);
        long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
        long total = all.count();
        if (total != lines.total()) {
          throw new JobFailedException(
              String.format(
                  Locale.ROOT,
                  "Cannot account for every line: read %d lines but %d records came out"
                      + " (a bug; please report it with the input)",
                  lines.total(),
                  total));
        }
        long accepted = total - rejected;

        progress.step("prepare: writing accepted records");
        Dataset<Row> acceptedRows =
            all.where(col(Check.REASON).isNull())
                .orderBy(col(ManifestLines.SOURCE_INDEX), col(ManifestLines.LINE_NUMBER))
                .select(
                    java.util.Arrays.stream(ManifestEntry.INPUT)
                        .map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .mapPartitions(new ManifestEntry(), Encoders.row(ManifestEntry.SCHEMA));
        Path acceptedDir = new Path(work, ACCEPTED);
        acceptedRows.write().mode(SaveMode.ErrorIfExists).parquet(acceptedDir.toString());
        Dataset<Row> acceptedBack = spark.read().parquet(acceptedDir.toString());
        writeLines(
            acceptedBack
                .orderBy("source", "line_number")
                .select("manifest_line")
                .as(Encoders.STRING()),
            new Path(work, "_manifest_parts"),
            new Path(work, MANIFEST));

        progress.step("prepare: writing rejects");
        writeLines(
            all.where(col(Check.REASON).isNotNull())
                .orderBy(col(ManifestLines.SOURCE_INDEX), col(ManifestLines.LINE_NUMBER))
                .select(
                    to_json(
                        struct(
                            col(ManifestLines.SOURCE),
                            col(ManifestLines.LINE_NUMBER),
                            col(Check.REASON),
                            col(Check.MESSAGE),
                            col(ManifestLines.LINE),
                            col(ManifestLines.ORIGINAL_BASE64))))
                .as(Encoders.STRING()),
            new Path(work, "_rejects_parts"),
            new Path(work, REJECTS));

        progress.step("prepare: computing stats");
        List<String> sources = manifests.stream().map(Path::toString).toList();
        ObjectNode stats =
            PrepareStats.compute(
                all, acceptedBack, sources, lines.total(), byReason, o.histogramEdges());
        double fraction = total == 0 ? 0 : (double) rejected / total;
        String failure = null;
        if (fraction > o.maxRejectFraction()) {
          failure =
              String.format(
                  Locale.ROOT,
                  "Cannot accept this input: %.1f%% of the lines were rejected (%d of %d), over"
                      + " max_reject_fraction = %s; see %s",
                  100 * fraction,
                  rejected,
                  total,
                  o.maxRejectFraction(),
                  Outputs.display(new Path(output, REJECTS).toString()));
        }
        stats.put("status", failure == null ? "ok" : "failed");
        if (failure != null) {
          stats.put("failure", failure);
        }
        stats.put("elapsed_seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        String summary = PrepareStats.summary(stats, output.toString(), manifests.size());
        storage.writeString(new Path(work, STATS), PrepareStats.toJson(stats));
        storage.writeString(new Path(work, SUMMARY), summary);
        storage.writeString(new Path(work, CONFIG), resolvedConfig);
        progress.step("prepare: committing");
        set.commit();
        out.print(summary);
        if (failure != null) {
          throw new JobFailedException(failure);
        }
        return new PrepareResult(
            Outputs.display(output.toString()),
            lines.total(),
            accepted,
            rejected,
            byReason,
            stats.get("duration").get("total_hours").asDouble(),
            stats.get("warnings").asLong(),
            summary);
      } finally {
        all.unpersist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write prepare output to " + output + ": " + e.getMessage(), e);
    } finally {
      Outputs.release(set, out);
    }
  }

  private static Map<String, Long> countRejects(Dataset<Row> all) {
    Map<String, Long> found = new LinkedHashMap<>();
    for (Row r :
        all.where(col(Check.REASON).isNotNull()).groupBy(Check.REASON).count().collectAsList()) {
      found.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    for (RejectReason reason : RejectReason.values()) {
      Long n = found.remove(reason.name());
      if (n != null) {
        ordered.put(reason.name(), n);
      }
    }
    if (!found.isEmpty()) {
      throw new IllegalStateException("Unknown reject reasons " + found.keySet());
    }
    return ordered;
  }

  private void writeLines(Dataset<String> lines, Path partsDir, Path target) throws IOException {
    SparkText.writeLines(storage, lines, partsDir, target);
  }
}
