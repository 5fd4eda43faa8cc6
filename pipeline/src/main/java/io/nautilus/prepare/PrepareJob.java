package io.nautilus.prepare;

import static org.apache.spark.sql.functions.broadcast;
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
import io.nautilus.run.RunFingerprint;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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

  /** Accepted records' duplicate keys, kept by incremental runs for the runs after them. */
  public static final String DUPLICATE_KEYS = "duplicate_keys.json";

  final SparkSession spark;
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
   * <p>A run whose output already holds the committed result of the same manifests (same bytes) and
   * config does nothing and says so. With {@link PrepareOptions#incremental()}, only manifests and
   * appended lines not seen by earlier runs are read; see {@link PrepareState}.
   *
   * @param resolvedConfig the fully resolved config as YAML, written beside the output
   * @throws UsageException for missing inputs, or an output that holds another run's result without
   *     overwrite
   * @throws JobFailedException when more than max_reject_fraction of the lines are rejected
   */
  public PrepareResult run(PrepareOptions o, String resolvedConfig) {
    List<Path> manifests = ManifestLines.expand(storage, o.manifests());
    Path output = storage.qualify(o.outputDir());
    if (o.incremental()) {
      return new IncrementalPrepare(this, storage, out).run(o, resolvedConfig, manifests, output);
    }
    RunFingerprint fingerprint =
        RunFingerprint.ofManifests(storage, "prepare", resolvedConfig, manifests);
    if (!Outputs.needsWrite(storage, output, o.overwrite(), fingerprint, RunFingerprint.FILE)) {
      String message =
          Outputs.nothingToDo(
              output,
              "the committed result of this run (the same "
                  + manifests.size()
                  + " manifest(s), unchanged, and the same config); pass --overwrite to run it"
                  + " again");
      out.print(message);
      return PrepareResult.upToDate(Outputs.display(output.toString()), message);
    }
    PendingSet set = Outputs.begin(storage, output, out, "prepare output");
    try {
      Written w =
          write(set.dir(), output, new Lines(manifests, null), o, resolvedConfig, null, false);
      storage.writeString(new Path(set.dir(), RunFingerprint.FILE), fingerprint.toJson());
      set.commit();
      out.print(w.summary());
      if (w.failure() != null) {
        throw new JobFailedException(w.failure());
      }
      return w.result(Outputs.display(output.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write prepare output to " + output + ": " + e.getMessage(), e);
    } finally {
      Outputs.release(set, out);
    }
  }

  /**
   * The manifests a run reads, and for an incremental run which lines of each (by path: lines after
   * {@code from[0]} up to {@code from[1]}); null ranges mean every line.
   */
  record Lines(List<Path> manifests, Map<String, long[]> ranges) {
    long total(long read) {
      if (ranges == null) {
        return read;
      }
      return ranges.values().stream().mapToLong(r -> r[1] - r[0]).sum();
    }
  }

  /** What one run wrote into its folder, before the folder is committed. */
  record Written(
      long total,
      long accepted,
      long rejected,
      Map<String, Long> byReason,
      double acceptedHours,
      long warnings,
      String summary,
      String failure) {
    PrepareResult result(String outputDir) {
      return new PrepareResult(
          outputDir, total, accepted, rejected, byReason, acceptedHours, warnings, summary, false);
    }
  }

  /**
   * Validates, probes and filters the lines and writes every output file into {@code work}.
   *
   * @param shownOutput where the output will be once committed, for messages and the summary
   * @param earlierKeys duplicate keys accepted by earlier incremental runs, or null
   * @param writeKeys whether to write this run's accepted duplicate keys (incremental runs)
   */
  Written write(
      Path work,
      Path shownOutput,
      Lines input,
      PrepareOptions o,
      String resolvedConfig,
      Dataset<Row> earlierKeys,
      boolean writeKeys)
      throws IOException {
    List<Path> manifests = input.manifests();
    List<String> roots = new ArrayList<>();
    for (String r : o.allowedRoots()) {
      roots.add(storage.qualify(r).toString());
    }
    MediaPaths paths = MediaPaths.withRoots(roots);
    long started = System.nanoTime();
    try (Progress progress = Progress.start(spark.sparkContext(), out, 5000)) {
      progress.step("prepare: numbering manifest lines");
      ManifestLines.Result read = ManifestLines.read(spark, manifests, storage.hadoopConf());
      Dataset<Row> numbered = read.lines();
      if (input.ranges() != null) {
        numbered = onlyRanges(numbered, input.ranges());
      }
      long lineTotal = input.total(read.total());

      Dataset<Row> checked = RecordChecks.apply(numbered, o);
      int partitions =
          o.partitions() > 0
              ? o.partitions()
              : Math.max(2, spark.sparkContext().defaultParallelism() * 2);
      MediaProbe probe = new MediaProbe(storage, paths, o.fullDecode(), checked.schema());
      Dataset<Row> probed =
          checked
              .repartition(partitions)
              .mapPartitions(probe, Encoders.row(MediaProbe.outSchema(checked.schema())));
      Dataset<Row> filtered = TextAndFilters.apply(probed, o);
      if (earlierKeys != null) {
        filtered = TextAndFilters.markEarlierDuplicates(filtered, earlierKeys, o.duplicates());
      }
      Dataset<Row> all = filtered.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        progress.step("prepare: validating, probing media, filtering");
        Map<String, Long> byReason = countRejects(all);
        long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
        long total = all.count();
        if (total != lineTotal) {
          throw new JobFailedException(
              String.format(
                  Locale.ROOT,
                  "Cannot account for every line: read %d lines but %d records came out"
                      + " (a bug; please report it with the input)",
                  lineTotal,
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
        if (writeKeys) {
          writeLines(
              TextAndFilters.acceptedKeys(all, o.duplicates()),
              new Path(work, "_keys_parts"),
              new Path(work, DUPLICATE_KEYS));
        }

        progress.step("prepare: computing stats");
        List<String> sources = manifests.stream().map(Path::toString).toList();
        ObjectNode stats =
            PrepareStats.compute(all, acceptedBack, sources, total, byReason, o.histogramEdges());
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
                  Outputs.display(new Path(shownOutput, REJECTS).toString()));
        }
        stats.put("status", failure == null ? "ok" : "failed");
        if (failure != null) {
          stats.put("failure", failure);
        }
        stats.put("elapsed_seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        String summary = PrepareStats.summary(stats, shownOutput.toString(), manifests.size());
        storage.writeString(new Path(work, STATS), PrepareStats.toJson(stats));
        storage.writeString(new Path(work, SUMMARY), summary);
        storage.writeString(new Path(work, CONFIG), resolvedConfig);
        progress.step("prepare: committing");
        return new Written(
            total,
            accepted,
            rejected,
            byReason,
            stats.get("duration").get("total_hours").asDouble(),
            stats.get("warnings").asLong(),
            summary,
            failure);
      } finally {
        all.unpersist();
      }
    }
  }

  /** Keeps lines {@code (from, to]} of each manifest named in {@code ranges}. */
  private Dataset<Row> onlyRanges(Dataset<Row> lines, Map<String, long[]> ranges) {
    List<Row> rows = new ArrayList<>();
    ranges.forEach((path, r) -> rows.add(RowFactory.create(path, r[0], r[1])));
    StructType schema =
        new StructType()
            .add("_range_source", DataTypes.StringType, false)
            .add("_range_from", DataTypes.LongType, false)
            .add("_range_to", DataTypes.LongType, false);
    Dataset<Row> table = spark.createDataFrame(rows, schema);
    return lines
        .join(
            broadcast(table),
            col(ManifestLines.SOURCE)
                .equalTo(col("_range_source"))
                .and(col(ManifestLines.LINE_NUMBER).gt(col("_range_from")))
                .and(col(ManifestLines.LINE_NUMBER).leq(col("_range_to"))))
        .drop("_range_source", "_range_from", "_range_to");
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
