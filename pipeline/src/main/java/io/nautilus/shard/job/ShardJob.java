package io.nautilus.shard.job;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.nautilus.io.PendingSet;
import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.Outputs;
import io.nautilus.run.Progress;
import io.nautilus.run.RunFingerprint;
import io.nautilus.run.SparkText;
import io.nautilus.run.UsageException;
import io.nautilus.shard.WidsIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
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
 * The shard job: a prepared dataset to NeMo tarred audio shards ({@code audio_{i}.tar}, {@code
 * sharded_manifests/manifest_{i}.json}, {@code tarred_audio_manifest.json}, {@code metadata.yaml}),
 * plus {@code shard_index.json} (checksums), {@code remainder_manifest.json} and stats.
 */
public final class ShardJob {
  public static final String TARRED_MANIFEST = "tarred_audio_manifest.json";
  public static final String METADATA = "metadata.yaml";
  public static final String INDEX = "shard_index.json";
  public static final String REMAINDER = "remainder_manifest.json";
  public static final String STATS = "shard_stats.json";
  public static final String CONFIG = "config.yaml";

  /** What the set holds, for re-runs and {@code --append}: see {@link ShardState}. */
  public static final String STATE = ShardState.FILE;

  private static final StructType SOURCE_RANKS =
      new StructType()
          .add("source", DataTypes.StringType, false)
          .add(ShardPlan.SOURCE_RANK, DataTypes.IntegerType, false);

  private final SparkSession spark;
  private final Storage storage;
  private final PrintStream out;

  public ShardJob(SparkSession spark, Storage storage, PrintStream out) {
    this.spark = spark;
    this.storage = storage;
    this.out = out;
  }

  /**
   * Runs shard. A run whose output already holds the committed result of the same prepared inputs
   * (same data) and config does nothing and says so; with {@link ShardOptions#append()}, only
   * inputs not sharded yet are added, after the existing shards (see {@link ShardAppend}).
   *
   * @throws UsageException for missing inputs, or an output that holds another run's result without
   *     overwrite
   */
  public ShardResult run(ShardOptions o, String resolvedConfig) {
    Path output = storage.qualify(o.outputDir());
    List<Path> parts = PreparedParts.resolve(storage, o.prepared());
    RunFingerprint fingerprint =
        RunFingerprint.of(
            "shard", resolvedConfig, "input.prepared", PreparedParts.digest(storage, parts));
    if (o.append() && !o.overwrite()) {
      return new ShardAppend(this, spark, storage, out)
          .run(o, resolvedConfig, output, parts, fingerprint);
    }
    ShardState before = committedState(output, o.overwrite());
    if (!Outputs.needsWrite(
        storage,
        output,
        o.overwrite(),
        fingerprint,
        before == null ? null : before.fingerprint())) {
      String message =
          Outputs.nothingToDo(
              output,
              "the committed result of this run (the same "
                  + parts.size()
                  + " prepared input(s), unchanged, and the same config); pass --overwrite to run"
                  + " it again");
      out.print(message);
      return ShardResult.upToDate(Outputs.display(output.toString()), before.version(), message);
    }
    Dataset<Row> entries = readParts(parts);
    PendingSet set = Outputs.begin(storage, output, out, "shard set");
    Path work = set.dir();
    try (Progress progress = Progress.start(spark.sparkContext(), out, 5000)) {
      progress.step("shard: planning");
      ShardPlan plan = ShardPlan.of(entries, o);
      Dataset<Row> assigned = plan.assigned().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        boolean bucketDirs = o.bucketsNum() > 1;
        int totalShards = plan.buckets().stream().mapToInt(ShardPlan.Bucket::shards).sum();
        int partitions =
            Math.max(
                1,
                Math.min(
                    totalShards,
                    o.partitions() > 0
                        ? o.partitions()
                        : spark.sparkContext().defaultParallelism() * 2));
        progress.step("shard: writing " + totalShards + " shards");
        List<Row> written = writeShards(assigned, work, o, bucketDirs, partitions);

        progress.step("shard: manifests, metadata, index");
        ObjectNode stats = new ObjectMapper().createObjectNode();
        ArrayNode bucketStats = stats.putArray("buckets");
        long inShards = 0;
        long remainder = 0;
        long bytes = 0;
        double seconds = 0;
        List<String> notes = new ArrayList<>();
        for (ShardPlan.Bucket b : plan.buckets()) {
          Path dir = ShardWriter.bucketDir(work, b.index(), bucketDirs);
          List<Row> shards =
              written.stream()
                  .filter(r -> r.getInt(0) == b.index())
                  .sorted((x, y) -> Integer.compare(x.getInt(1), y.getInt(1)))
                  .toList();
          long n = shards.stream().mapToLong(r -> r.getLong(2)).sum();
          if (shards.size() != b.shards() || n + b.remainder() != b.entries()) {
            throw new JobFailedException(
                String.format(
                    Locale.ROOT,
                    "Cannot account for every entry of bucket %d: planned %d shards with %d entries"
                        + " and %d in the remainder, wrote %d shards with %d entries (a bug)",
                    b.index() + 1,
                    b.shards(),
                    b.entries() - b.remainder(),
                    b.remainder(),
                    shards.size(),
                    n));
          }
          List<Path> manifests = new ArrayList<>();
          List<WidsIndex.Shard> index = new ArrayList<>();
          long[] perShard = new long[shards.size()];
          for (Row r : shards) {
            int id = r.getInt(1);
            manifests.add(new Path(dir, "sharded_manifests/manifest_" + id + ".json"));
            index.add(
                new WidsIndex.Shard(
                    "audio_" + id + ".tar", r.getString(5), r.getLong(2), r.getLong(4)));
            set.record(new Path(dir, "audio_" + id + ".tar"), r.getLong(4), r.getString(5));
            perShard[id] = r.getLong(2);
            bytes += r.getLong(4);
            seconds += r.getDouble(6);
          }
          storage.concatenate(manifests, new Path(dir, TARRED_MANIFEST));
          // Named after the dataset, not the location: the same input gives the same bytes
          // anywhere.
          WidsIndex idx = new WidsIndex(o.name(), index);
          storage.writeString(new Path(dir, INDEX), idx.toJson() + "\n");
          if (b.remainder() > 0) {
            SparkText.writeLines(
                storage,
                assigned
                    .where(col(ShardPlan.BUCKET).equalTo(b.index()).and(col(ShardPlan.SHARD).lt(0)))
                    .orderBy(col(ShardPlan.RANK))
                    .select(col("remainder_line"))
                    .as(Encoders.STRING()),
                new Path(dir, "_remainder_parts"),
                new Path(dir, REMAINDER));
            notes.add(
                String.format(
                    Locale.ROOT,
                    "%s%d entries did not divide evenly into %d shards (shard.equal_count): they are in"
                        + " %s, not dropped; add them to a later run",
                    bucketDirs ? "bucket" + (b.index() + 1) + ": " : "",
                    b.remainder(),
                    b.shards(),
                    REMAINDER));
          }
          if (b.note() != null) {
            notes.add((bucketDirs ? "bucket" + (b.index() + 1) + ": " : "") + b.note());
          }
          storage.writeString(
              new Path(dir, METADATA), metadata(o, b, perShard, plan, resolvedConfig));
          ObjectNode bs = bucketStats.addObject();
          bs.put("bucket", b.index() + 1);
          bs.put("entries", b.entries());
          bs.put("shards", b.shards());
          bs.put("in_shards", n);
          bs.put("remainder", b.remainder());
          inShards += n;
          remainder += b.remainder();
        }
        long total = plan.buckets().stream().mapToLong(ShardPlan.Bucket::entries).sum();
        stats.put("entries", total);
        stats.put("in_shards", inShards);
        stats.put("remainder", remainder);
        stats.put("conservation", total + " = " + inShards + " + " + remainder);
        stats.put("shards", totalShards);
        stats.put("bytes", bytes);
        stats.put("hours", Math.round(seconds / 3.6) / 1000.0);
        String summary = summary(stats, output, notes);
        storage.writeString(new Path(work, STATS), pretty(stats));
        storage.writeString(new Path(work, CONFIG), resolvedConfig);
        long perShard =
            o.equalCount() && plan.buckets().size() == 1 ? plan.buckets().get(0).perShard() : -1;
        storage.writeString(
            new Path(work, ShardState.FILE),
            new ShardState(0, fingerprint, totalShards, perShard, remainderRows(assigned))
                .toJson());
        progress.step("shard: committing");
        set.commit();
        out.print(summary);
        return new ShardResult(
            Outputs.display(output.toString()),
            total,
            inShards,
            remainder,
            totalShards,
            bytes,
            stats.get("hours").asDouble(),
            notes,
            summary,
            0,
            false);
      } finally {
        assigned.unpersist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write shards to " + output + ": " + e.getMessage(), e);
    } finally {
      Outputs.release(set, out);
    }
  }

  /** The state of the committed set at {@code output}, or null (none, or to be overwritten). */
  private ShardState committedState(Path output, boolean overwrite) {
    try {
      if (overwrite
          || storage.isAbsentOrEmpty(output)
          || storage.setState(output) != io.nautilus.io.SetState.COMMITTED) {
        return null;
      }
      return ShardState.readCurrent(storage, output);
    } catch (IOException e) {
      throw new UsageException(
          "Cannot check output " + Outputs.display(output.toString()) + ": " + e.getMessage(), e);
    }
  }

  /** The entries of prepared datasets, numbered by their place in {@code parts}. */
  Dataset<Row> readParts(List<Path> parts) {
    Dataset<Row> all = null;
    for (int i = 0; i < parts.size(); i++) {
      Dataset<Row> raw =
          spark.read().parquet(new Path(parts.get(i), PreparedParts.ACCEPTED).toString());
      Dataset<Row> d = withIdentity(raw, i);
      all = all == null ? d : all.unionByName(d);
    }
    if (all == null) {
      all = withIdentity(spark.createDataFrame(List.of(), ShardState.REMAINDER_SCHEMA), 0);
    }
    return all;
  }

  /**
   * Prepared entries with the columns the plan needs: {@code inputIndex}, and each manifest's rank
   * among the entries' manifests by path.
   */
  Dataset<Row> withIdentity(Dataset<Row> raw, int inputIndex) {
    List<Row> ranks = new ArrayList<>();
    for (String source :
        raw.select("source").distinct().orderBy("source").as(Encoders.STRING()).collectAsList()) {
      ranks.add(RowFactory.create(source, ranks.size()));
    }
    return raw.join(broadcast(spark.createDataFrame(ranks, SOURCE_RANKS)), "source")
        .select(
            lit(inputIndex).as(ShardPlan.INPUT_INDEX),
            col(ShardPlan.SOURCE_RANK),
            col("source"),
            col("line_number"),
            col("audio_filepath"),
            col("offset"),
            col("duration"),
            col("file_bytes"),
            col("sample_rate"),
            col("channels"),
            col("manifest_line"),
            col("manifest_line").as("remainder_line"));
  }

  /** Writes the planned shards (not the remainder) under {@code root}; one result row a shard. */
  List<Row> writeShards(
      Dataset<Row> assigned, Path root, ShardOptions o, boolean bucketDirs, int partitions)
      throws IOException {
    Column[] input = Arrays.stream(ShardWriter.INPUT).map(c -> col(c)).toArray(Column[]::new);
    List<Row> written =
        assigned
            .where(col(ShardPlan.SHARD).geq(0))
            .repartition(partitions, col(ShardPlan.BUCKET), col(ShardPlan.SHARD))
            .sortWithinPartitions(col(ShardPlan.BUCKET), col(ShardPlan.SHARD), col(ShardPlan.POS))
            .select(input)
            .mapPartitions(
                new ShardWriter(storage, root.toString(), o, bucketDirs),
                Encoders.row(ShardWriter.RESULT))
            .collectAsList();
    removeAttemptLeftovers(root);
    return written;
  }

  /** The remainder's entries, in plan order, as rows of {@link ShardState#REMAINDER_SCHEMA}. */
  static List<Row> remainderRows(Dataset<Row> assigned) {
    return assigned
        .where(col(ShardPlan.SHARD).lt(0))
        .orderBy(col(ShardPlan.BUCKET), col(ShardPlan.RANK))
        .select(
            Arrays.stream(ShardState.REMAINDER_SCHEMA.fieldNames())
                .map(c -> col(c))
                .toArray(Column[]::new))
        .collectAsList();
  }

  /** Temporary files of failed task attempts: never part of a committed shard set. */
  private void removeAttemptLeftovers(Path staging) throws IOException {
    FileStatus[] leftovers =
        storage.fs(staging).globStatus(new Path(staging, "{,*/,*/*/}.*.tmp-*"));
    if (leftovers != null) {
      for (FileStatus s : leftovers) {
        storage.fs(s.getPath()).delete(s.getPath(), false);
      }
    }
  }

  String metadata(
      ShardOptions o, ShardPlan.Bucket b, long[] perShard, ShardPlan plan, String resolvedConfig)
      throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    ObjectNode m = yaml.createObjectNode();
    m.put("created_datetime", Instant.now().toString());
    m.put("version", 0);
    m.put("num_samples_per_shard", o.equalCount() ? b.perShard() : -1);
    ArrayNode counts = m.putArray("samples_per_shard");
    for (long c : perShard) {
      counts.add(c);
    }
    m.put("is_concatenated_manifest", false);
    ObjectNode dc = m.putObject("dataset_config");
    ArrayNode inputs = dc.putArray("manifest_path");
    o.prepared().forEach(inputs::add);
    dc.put("target_dir", o.outputDir());
    dc.put("num_shards", b.shards());
    dc.put("shuffle", o.shuffle());
    dc.put("shuffle_seed", o.shuffleSeed());
    dc.put("sort_in_shards", o.sortInShards());
    dc.put("buckets_num", o.bucketsNum());
    dc.put("min_duration", plan.bucketLow());
    dc.put("max_duration", plan.bucketHigh());
    dc.put(
        "force_codec",
        o.codec() == ShardOptions.Codec.COPY ? null : o.codec().name().toLowerCase(Locale.ROOT));
    dc.put("slice_with_offset", o.sliceWithOffset());
    dc.put("equal_count", o.equalCount());
    dc.put("remainder_entries", b.remainder());
    if (o.sampleRate() != null) {
      dc.put("sample_rate", o.sampleRate());
    }
    dc.put("mono", o.mono());
    m.putArray("history");
    return yaml.writeValueAsString(m);
  }

  static String summary(ObjectNode s, Path output, List<String> notes) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "shard: %,d entries -> %,d in %d shard(s) (%.1f MB, %.3f h), %,d in the remainder%n",
            s.get("entries").asLong(),
            s.get("in_shards").asLong(),
            s.get("shards").asInt(),
            s.get("bytes").asLong() / 1e6,
            s.get("hours").asDouble(),
            s.get("remainder").asLong()));
    for (String n : notes) {
      b.append("  note: ").append(n).append('\n');
    }
    b.append("  conservation: ")
        .append(s.get("conservation").asText())
        .append(" (entries = in shards + remainder)\n");
    b.append("  output: ").append(Outputs.display(output.toString())).append('\n');
    b.append(
        "    audio_{i}.tar, sharded_manifests/manifest_{i}.json, tarred_audio_manifest.json, metadata.yaml\n");
    b.append("    shard_index.json (md5, counts, sizes), shard_stats.json, config.yaml\n");
    return b.toString();
  }

  static String pretty(ObjectNode n) throws IOException {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
  }
}
