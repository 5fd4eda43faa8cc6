package io.nautilus.shard.wds;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.io.MediaPaths;
import io.nautilus.io.PendingSet;
import io.nautilus.io.Storage;
import io.nautilus.prepare.ManifestLines;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.Outputs;
import io.nautilus.run.Progress;
import io.nautilus.run.RunFingerprint;
import io.nautilus.run.SparkText;
import io.nautilus.shard.WidsIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * WebDataset shards from JSONL records: {@code {name}-{000000..N}.tar}, a wids index ({@code
 * {name}.wids.json}), NeMo's {@code wdinfo.json}, rejects with reasons, and stats.
 *
 * <p>Shard boundaries come from a greedy pass over the records in their deterministic order: a
 * shard closes at {@code maxcount} samples or before its payload would pass {@code maxsize}.
 */
public final class WdsJob {
  public static final String WDINFO = "wdinfo.json";
  public static final String REJECTS = "rejects/rejects.json";
  public static final String STATS = "stats.json";

  private static final StructType ASSIGNMENT =
      new StructType()
          .add("a_source_index", DataTypes.IntegerType, false)
          .add("a_line_number", DataTypes.LongType, false)
          .add("shard", DataTypes.IntegerType, false)
          .add("pos", DataTypes.IntegerType, false)
          .add("sample_key", DataTypes.StringType, false);

  private final SparkSession spark;
  private final Storage storage;
  private final PrintStream out;

  public WdsJob(SparkSession spark, Storage storage, PrintStream out) {
    this.spark = spark;
    this.storage = storage;
    this.out = out;
  }

  public WdsResult run(WdsOptions o, String resolvedConfig) {
    List<Path> manifests = ManifestLines.expand(storage, o.manifests());
    Path output = storage.qualify(o.outputDir());
    RunFingerprint fingerprint =
        RunFingerprint.ofManifests(storage, "shard-webdataset", resolvedConfig, manifests);
    if (!Outputs.needsWrite(storage, output, o.overwrite(), fingerprint, RunFingerprint.FILE)) {
      String message =
          Outputs.nothingToDo(
              output,
              "the committed shards of this run (the same "
                  + manifests.size()
                  + " manifest(s), unchanged, and the same config); pass --overwrite to run it"
                  + " again");
      out.print(message);
      return new WdsResult(Outputs.display(output.toString()), 0, 0, 0, 0, 0, Map.of(), message);
    }
    List<String> roots = new ArrayList<>();
    o.allowedRoots().forEach(r -> roots.add(storage.qualify(r).toString()));
    PendingSet set = Outputs.begin(storage, output, out, "shard set");
    Path work = set.dir();
    try (Progress progress = Progress.start(spark.sparkContext(), out, 5000)) {
      progress.step("shard (webdataset): reading and checking records");
      ManifestLines.Result lines = ManifestLines.read(spark, manifests, storage.hadoopConf());
      int partitions =
          o.partitions() > 0
              ? o.partitions()
              : Math.max(2, spark.sparkContext().defaultParallelism() * 2);
      Dataset<Row> checked =
          lines
              .lines()
              .repartition(partitions)
              .mapPartitions(
                  new WdsRecords(storage, MediaPaths.withRoots(roots), o),
                  Encoders.row(WdsRecords.SCHEMA))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Map<String, Long> byReason = new LinkedHashMap<>();
        Map<String, Long> found = new LinkedHashMap<>();
        for (Row r :
            checked.where(col("reason").isNotNull()).groupBy("reason").count().collectAsList()) {
          found.put(r.getString(0), r.getLong(1));
        }
        for (WdsReason reason : WdsReason.values()) {
          if (found.containsKey(reason.name())) {
            byReason.put(reason.name(), found.get(reason.name()));
          }
        }
        long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();

        progress.step("shard (webdataset): planning shards");
        Column order =
            o.shuffle()
                ? xxhash64(
                    lit(o.shuffleSeed()),
                    col(ManifestLines.SOURCE_INDEX),
                    col(ManifestLines.LINE_NUMBER))
                : lit(0L);
        List<Row> accepted =
            new ArrayList<>(
                checked
                    .where(col("reason").isNull())
                    .select(
                        order.as("o"),
                        col(ManifestLines.SOURCE_INDEX),
                        col(ManifestLines.LINE_NUMBER),
                        col("payload_bytes"))
                    .collectAsList());
        accepted.sort(
            Comparator.<Row>comparingLong(r -> r.getLong(0))
                .thenComparingInt(r -> r.getInt(1))
                .thenComparingLong(r -> r.getLong(2)));
        List<Row> assignment = new ArrayList<>();
        long maxBytes = (long) (o.maxsizeMb() * 1e6);
        int shard = 0;
        int pos = 0;
        long bytes = 0;
        for (int rank = 0; rank < accepted.size(); rank++) {
          Row r = accepted.get(rank);
          long size = r.getLong(3);
          if (pos > 0 && (pos >= o.maxcount() || bytes + size > maxBytes)) {
            shard++;
            pos = 0;
            bytes = 0;
          }
          assignment.add(
              RowFactory.create(
                  r.getInt(1),
                  r.getLong(2),
                  shard,
                  pos,
                  String.format(Locale.ROOT, "%s_%09d", o.name(), rank)));
          pos++;
          bytes += size;
        }
        int shards = accepted.isEmpty() ? 0 : shard + 1;

        progress.step("shard (webdataset): writing " + shards + " shards");
        Dataset<Row> assigned =
            spark
                .createDataFrame(assignment, ASSIGNMENT)
                .join(
                    checked,
                    col("a_source_index")
                        .equalTo(col(ManifestLines.SOURCE_INDEX))
                        .and(col("a_line_number").equalTo(col(ManifestLines.LINE_NUMBER))));
        List<Row> written =
            shards == 0
                ? List.of()
                : assigned
                    .repartition(Math.max(1, Math.min(shards, partitions)), col("shard"))
                    .sortWithinPartitions(col("shard"), col("pos"))
                    .select(
                        java.util.Arrays.stream(WdsWriter.INPUT)
                            .map(c -> col(c))
                            .toArray(Column[]::new))
                    .mapPartitions(
                        new WdsWriter(storage, work.toString(), o), Encoders.row(WdsWriter.RESULT))
                    .collectAsList();
        List<Row> sorted = new ArrayList<>(written);
        sorted.sort(Comparator.comparingInt(r -> r.getInt(0)));
        long samples = sorted.stream().mapToLong(r -> r.getLong(1)).sum();
        if (sorted.size() != shards || samples + rejected != lines.total()) {
          throw new JobFailedException(
              String.format(
                  Locale.ROOT,
                  "Cannot account for every line: %d lines, %d written in %d/%d shards, %d rejected (a bug)",
                  lines.total(),
                  samples,
                  sorted.size(),
                  shards,
                  rejected));
        }

        progress.step("shard (webdataset): index, rejects, stats");
        List<WidsIndex.Shard> index = new ArrayList<>();
        long total = 0;
        ObjectMapper json = new ObjectMapper();
        ObjectNode wdinfo = json.createObjectNode();
        ArrayNode tars = wdinfo.putArray("tar_files");
        for (Row r : sorted) {
          String name = WdsWriter.shardName(o.name(), r.getInt(0));
          index.add(new WidsIndex.Shard(name, r.getString(3), r.getLong(1), r.getLong(2)));
          set.record(new Path(work, name), r.getLong(2), r.getString(3));
          tars.add(name);
          total += r.getLong(2);
        }
        wdinfo.put("chunk_size", o.maxcount());
        wdinfo.put("total_key_count", samples);
        storage.writeString(
            new Path(work, o.name() + ".wids.json"),
            new WidsIndex(o.name(), index).toJson() + "\n");
        storage.writeString(
            new Path(work, WDINFO),
            json.writerWithDefaultPrettyPrinter().writeValueAsString(wdinfo) + "\n");
        SparkText.writeLines(
            storage,
            checked
                .where(col("reason").isNotNull())
                .orderBy(col(ManifestLines.SOURCE_INDEX), col(ManifestLines.LINE_NUMBER))
                .select(
                    to_json(
                        struct(
                            col(ManifestLines.SOURCE),
                            col(ManifestLines.LINE_NUMBER),
                            col("reason"),
                            col("message"),
                            col(ManifestLines.LINE),
                            col(ManifestLines.ORIGINAL_BASE64))))
                .as(Encoders.STRING()),
            new Path(work, "_rejects_parts"),
            new Path(work, REJECTS));
        ObjectNode stats = json.createObjectNode();
        stats.put("input_lines", lines.total());
        stats.put("samples", samples);
        stats.put("rejected", rejected);
        stats.put("conservation", lines.total() + " = " + samples + " + " + rejected);
        stats.put("shards", shards);
        stats.put("bytes", total);
        ObjectNode reasons = stats.putObject("rejects_by_reason");
        byReason.forEach(reasons::put);
        double fraction = lines.total() == 0 ? 0 : (double) rejected / lines.total();
        String failure =
            fraction > o.maxRejectFraction()
                ? String.format(
                    Locale.ROOT,
                    "Cannot accept this input: %.1f%% of the lines were rejected (%d of %d), over max_reject_fraction = %s",
                    100 * fraction,
                    rejected,
                    lines.total(),
                    o.maxRejectFraction())
                : null;
        stats.put("status", failure == null ? "ok" : "failed");
        storage.writeString(
            new Path(work, STATS),
            json.writerWithDefaultPrettyPrinter().writeValueAsString(stats) + "\n");
        storage.writeString(new Path(work, "config.yaml"), resolvedConfig);
        storage.writeString(new Path(work, RunFingerprint.FILE), fingerprint.toJson());
        String summary = summary(stats, byReason, output, o);
        progress.step("shard (webdataset): committing");
        set.commit();
        out.print(summary);
        if (failure != null) {
          throw new JobFailedException(failure);
        }
        return new WdsResult(
            Outputs.display(output.toString()),
            lines.total(),
            samples,
            rejected,
            shards,
            total,
            byReason,
            summary);
      } finally {
        checked.unpersist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write shards to " + output + ": " + e.getMessage(), e);
    } finally {
      Outputs.release(set, out);
    }
  }

  private static String summary(
      ObjectNode s, Map<String, Long> byReason, Path output, WdsOptions o) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "shard (webdataset): %,d input lines -> %,d samples in %d shard(s) (%.1f MB), %,d rejected%n",
            s.get("input_lines").asLong(),
            s.get("samples").asLong(),
            s.get("shards").asInt(),
            s.get("bytes").asLong() / 1e6,
            s.get("rejected").asLong()));
    byReason.forEach(
        (k, v) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "    %-20s %,8d  %s%n",
                    k,
                    v,
                    WdsReason.valueOf(k).description())));
    b.append("  conservation: ")
        .append(s.get("conservation").asText())
        .append(" (input = samples + rejected)\n");
    b.append("  output: ").append(Outputs.display(output.toString())).append('\n');
    b.append("    ")
        .append(o.name())
        .append("-{000000..}.tar, ")
        .append(o.name())
        .append(".wids.json, wdinfo.json, rejects/rejects.json, stats.json, config.yaml\n");
    return b.toString();
  }
}
