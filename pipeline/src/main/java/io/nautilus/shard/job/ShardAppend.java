package io.nautilus.shard.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.Outputs;
import io.nautilus.run.RunFingerprint;
import io.nautilus.run.UsageException;
import io.nautilus.shard.WidsIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code shard --append}: adds shards for the prepared inputs that the set has not taken yet, plus
 * the entries the last version left in its remainder, numbered after the existing shards, as NeMo's
 * tarred-dataset concatenation does. Existing files are never touched: version {@code v} gets its
 * own {@code tarred_audio_manifest_version_{v}.json} (every entry of the set), {@code
 * metadata_version_{v}.yaml} (history of the earlier versions included) and our index, remainder,
 * stats and state files; see {@link ShardVersions} for how a version is committed.
 *
 * <p>Under shard.equal_count every new shard gets the set's num_samples_per_shard entries, so that
 * all shards stay equal for DDP; what does not fill a shard is the new remainder, carried into the
 * next append.
 */
final class ShardAppend {
  private final ShardJob job;
  private final SparkSession spark;
  private final Storage storage;
  private final PrintStream out;

  ShardAppend(ShardJob job, SparkSession spark, Storage storage, PrintStream out) {
    this.job = job;
    this.spark = spark;
    this.storage = storage;
    this.out = out;
  }

  ShardResult run(
      ShardOptions o,
      String resolvedConfig,
      Path output,
      List<Path> parts,
      RunFingerprint fingerprint) {
    String shown = Outputs.display(output.toString());
    if (o.bucketsNum() > 1) {
      throw new UsageException(
          "Cannot append to "
              + shown
              + ": shard.buckets_num = "
              + o.bucketsNum()
              + ", and appending works on one bucket, as NeMo's concatenation does; shard each"
              + " duration range into its own output, or run without --append");
    }
    ShardState state;
    try {
      if (storage.isAbsentOrEmpty(output)) {
        // The first scheduled run: a plain run makes version 0.
        return job.run(withoutAppend(o), resolvedConfig);
      }
      state = ShardState.readCurrent(storage, output);
    } catch (IOException e) {
      throw new UsageException("Cannot read shard set " + shown + ": " + e.getMessage(), e);
    }
    if (state == null) {
      throw new UsageException(
          "Cannot append to "
              + shown
              + ": it has no "
              + ShardState.FILE
              + " (not a committed shard set, or one written before appending existed); pass"
              + " --overwrite to rewrite it");
    }
    List<String> changed = fingerprint.configDifferencesFrom(state.fingerprint().config());
    if (!changed.isEmpty()) {
      throw new UsageException(
          "Cannot append to "
              + shown
              + ": its shards were written with another config ("
              + String.join("; ", changed)
              + "); append with the same config, or pass --overwrite to rewrite the set");
    }
    Map<String, RunFingerprint.Input> consumed = new LinkedHashMap<>();
    state.fingerprint().inputs().forEach(i -> consumed.put(i.path(), i));
    List<Path> fresh = new ArrayList<>();
    List<RunFingerprint.Input> taken = new ArrayList<>(state.fingerprint().inputs());
    for (int i = 0; i < parts.size(); i++) {
      RunFingerprint.Input now = fingerprint.inputs().get(i);
      RunFingerprint.Input before = consumed.get(now.path());
      if (before == null) {
        fresh.add(parts.get(i));
        taken.add(now);
      } else if (!before.sha256().equals(now.sha256())) {
        throw new UsageException(
            "Cannot append to "
                + shown
                + ": prepared input "
                + Outputs.display(now.path())
                + " changed after it was sharded into it; pass --overwrite to shard everything"
                + " again");
      }
    }
    try {
      for (String removed :
          ShardVersions.removeUncommitted(storage, output, state.version(), state.shards())) {
        out.println(
            "note: removed " + removed + " from " + shown + ", left by a run that was stopped");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean up " + output + ": " + e.getMessage(), e);
    }
    if (fresh.isEmpty()) {
      String message =
          Outputs.nothingToDo(
              output,
              String.format(
                  Locale.ROOT,
                  "every prepared input (%d, in %d shard(s), version %d); no new prepared data",
                  state.fingerprint().inputs().size(),
                  state.shards(),
                  state.version()));
      out.print(message);
      return ShardResult.upToDate(shown, state.version(), message);
    }
    try {
      return append(
          o,
          resolvedConfig,
          output,
          fresh,
          state,
          new RunFingerprint(fingerprint.job(), fingerprint.config(), taken));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot append shards to " + output + ": " + e.getMessage(), e);
    }
  }

  private ShardResult append(
      ShardOptions o,
      String resolvedConfig,
      Path output,
      List<Path> fresh,
      ShardState state,
      RunFingerprint taken)
      throws IOException {
    int v = state.version() + 1;
    int base = state.shards();
    Dataset<Row> entries = job.readParts(fresh);
    if (!state.remainder().isEmpty()) {
      // Carried entries get their own input index, ahead of every part's.
      entries =
          entries.unionByName(
              job.withIdentity(
                  spark.createDataFrame(state.remainder(), ShardState.REMAINDER_SCHEMA), -1));
    }
    ShardPlan plan = ShardPlan.of(entries, o, state.samplesPerShard());
    Dataset<Row> assigned =
        plan.assigned()
            .withColumn(
                ShardPlan.SHARD,
                when(col(ShardPlan.SHARD).geq(0), col(ShardPlan.SHARD).plus(base))
                    .otherwise(col(ShardPlan.SHARD)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ShardPlan.Bucket b = plan.buckets().isEmpty() ? null : plan.buckets().get(0);
      int added = b == null ? 0 : b.shards();
      long total = b == null ? 0 : b.entries();
      int partitions =
          Math.max(
              1,
              Math.min(
                  Math.max(added, 1),
                  o.partitions() > 0
                      ? o.partitions()
                      : spark.sparkContext().defaultParallelism() * 2));
      out.println("shard --append: version " + v + ", " + added + " new shard(s) after " + base);
      List<Row> written =
          added == 0 ? List.of() : job.writeShards(assigned, output, o, false, partitions);
      List<Row> shards =
          written.stream().sorted((x, y) -> Integer.compare(x.getInt(1), y.getInt(1))).toList();
      long inShards = shards.stream().mapToLong(r -> r.getLong(2)).sum();
      long remainder = b == null ? 0 : b.remainder();
      if (shards.size() != added || inShards + remainder != total) {
        throw new JobFailedException(
            String.format(
                Locale.ROOT,
                "Cannot account for every entry: planned %d shards and %d in the remainder of %d,"
                    + " wrote %d shards with %d entries (a bug)",
                added,
                remainder,
                total,
                shards.size(),
                inShards));
      }

      List<String> newFiles = new ArrayList<>();
      Map<String, String> md5 = new HashMap<>();
      List<Path> manifests = new ArrayList<>();
      manifests.add(new Path(output, ShardVersions.manifest(state.version())));
      WidsIndex previous;
      try (InputStream in = storage.open(new Path(output, ShardVersions.index(state.version())))) {
        previous = WidsIndex.read(in);
      }
      List<WidsIndex.Shard> index = new ArrayList<>(previous.shards());
      long bytes = 0;
      double seconds = 0;
      List<Long> counts = new ArrayList<>();
      for (Row r : shards) {
        int id = r.getInt(1);
        String tar = "audio_" + id + ".tar";
        String manifest = "sharded_manifests/manifest_" + id + ".json";
        manifests.add(new Path(output, manifest));
        index.add(new WidsIndex.Shard(tar, r.getString(5), r.getLong(2), r.getLong(4)));
        newFiles.add(tar);
        newFiles.add(manifest);
        md5.put(tar, r.getString(5));
        counts.add(r.getLong(2));
        bytes += r.getLong(4);
        seconds += r.getDouble(6);
      }
      write(newFiles, output, ShardVersions.manifest(v), null, manifests);
      write(
          newFiles,
          output,
          ShardVersions.index(v),
          new WidsIndex(previous.name(), index).toJson() + "\n",
          null);
      List<Row> rest = ShardJob.remainderRows(assigned);
      if (!rest.isEmpty()) {
        StringBuilder lines = new StringBuilder();
        rest.forEach(r -> lines.append(r.getString(8)).append('\n'));
        write(newFiles, output, ShardVersions.remainder(v), lines.toString(), null);
      }
      List<String> notes = new ArrayList<>();
      if (remainder > 0) {
        notes.add(
            String.format(
                Locale.ROOT,
                "%d entries did not fill a shard of %d (shard.equal_count): they are in %s and"
                    + " go into the next --append",
                remainder,
                state.samplesPerShard(),
                ShardVersions.remainder(v)));
      }
      ObjectNode stats = new ObjectMapper().createObjectNode();
      stats.put("version", v);
      stats.put("entries", total);
      stats.put("carried_in", state.remainder().size());
      stats.put("in_shards", inShards);
      stats.put("remainder", remainder);
      stats.put("conservation", total + " = " + inShards + " + " + remainder);
      stats.put("shards", added);
      stats.put("first_shard", base);
      stats.put("total_shards", base + added);
      stats.put("bytes", bytes);
      stats.put("hours", Math.round(seconds / 3.6) / 1000.0);
      String summary = ShardJob.summary(stats, output, notes);
      write(newFiles, output, ShardVersions.stats(v), ShardJob.pretty(stats), null);
      write(newFiles, output, ShardVersions.config(v), resolvedConfig, null);
      write(
          newFiles,
          output,
          ShardVersions.state(v),
          new ShardState(v, taken, base + added, state.samplesPerShard(), rest).toJson(),
          null);
      // Last: where rename is atomic, this file appearing commits version v.
      write(
          newFiles,
          output,
          ShardVersions.metadata(v),
          metadata(o, output, v, counts, added, remainder),
          null);
      storage.addToSet(output, newFiles, md5);
      out.print(summary);
      return new ShardResult(
          Outputs.display(output.toString()),
          total,
          inShards,
          remainder,
          added,
          bytes,
          stats.get("hours").asDouble(),
          notes,
          summary,
          v,
          false);
    } finally {
      assigned.unpersist();
    }
  }

  private void write(
      List<String> newFiles, Path output, String name, String text, List<Path> concatenate)
      throws IOException {
    Path target = new Path(output, name);
    if (concatenate != null) {
      storage.concatenate(concatenate, target);
    } else {
      storage.writeString(target, text);
    }
    newFiles.add(name);
  }

  /**
   * NeMo's concatenated metadata: the previous version's, with the new version, the grown shard
   * count and per-shard counts, {@code is_concatenated_manifest: true}, and the earlier versions
   * (each without its own history) in {@code history}, oldest first.
   */
  private String metadata(
      ShardOptions o, Path output, int v, List<Long> counts, int added, long remainder)
      throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    JsonNode read =
        yaml.readTree(
            storage
                .readString(new Path(output, ShardVersions.metadata(v - 1)))
                .getBytes(StandardCharsets.UTF_8));
    if (!(read instanceof ObjectNode previous)) {
      throw new IOException("Cannot read " + ShardVersions.metadata(v - 1) + ": not a mapping");
    }
    ArrayNode history = yaml.createArrayNode();
    previous.path("history").forEach(history::add);
    ObjectNode before = previous.deepCopy();
    before.remove("history");
    history.add(before);

    ObjectNode m = yaml.createObjectNode();
    m.put("created_datetime", Instant.now().toString());
    m.put("version", v);
    m.set("num_samples_per_shard", previous.path("num_samples_per_shard"));
    ArrayNode all = m.putArray("samples_per_shard");
    previous.path("samples_per_shard").forEach(all::add);
    counts.forEach(all::add);
    m.put("is_concatenated_manifest", true);
    ObjectNode dc = previous.path("dataset_config").deepCopy();
    dc.put("num_shards", dc.path("num_shards").asInt() + added);
    ArrayNode inputs = dc.putArray("manifest_path");
    o.prepared().forEach(inputs::add);
    dc.put("remainder_entries", remainder);
    m.set("dataset_config", dc);
    m.set("history", history);
    return yaml.writeValueAsString(m);
  }

  private static ShardOptions withoutAppend(ShardOptions o) {
    return new ShardOptions(
        o.name(),
        o.prepared(),
        o.outputDir(),
        o.overwrite(),
        false,
        o.numShards(),
        o.targetShardMb(),
        o.shuffle(),
        o.shuffleSeed(),
        o.sortInShards(),
        o.bucketsNum(),
        o.bucketMinDuration(),
        o.bucketMaxDuration(),
        o.equalCount(),
        o.codec(),
        o.sampleRate(),
        o.mono(),
        o.sliceWithOffset(),
        o.failAfterSamples(),
        o.partitions());
  }
}
