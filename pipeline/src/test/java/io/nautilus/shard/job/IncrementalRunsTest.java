package io.nautilus.shard.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.prepare.PrepareResult;
import io.nautilus.prepare.PrepareState;
import io.nautilus.prepare.TestAudio;
import io.nautilus.run.UsageException;
import io.nautilus.shard.MultiShardReader;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-runs and scheduled runs: nothing to do on the same input, refusal on a different one, and
 * {@code prepare --incremental} + {@code shard --append} over a growing manifest, which must end
 * with the samples one run over the final manifest gives.
 */
class IncrementalRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIRST_PART = 8;
  private static SparkSession spark;
  private static Path data;
  private static List<String> lines;

  @TempDir static Path shared;
  @TempDir Path tmp;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void startSpark() throws IOException {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    data = shared.resolve("data");
    String[] words = {
      "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
      "kilo"
    };
    for (int i = 0; i < words.length; i++) {
      TestAudio.sine(
          data.resolve("wavs/" + words[i] + ".wav"), 0.5 + 0.1 * i, 16000, 1, 200 + 30 * i);
    }
    // 14 lines: 8 in the first part (one not JSON), 6 appended later (one not JSON, one the same
    // audio as a line of the first part: a duplicate across runs).
    lines = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      lines.add(entry(words[i]));
    }
    lines.add("not json at all");
    for (int i = 7; i < words.length; i++) {
      lines.add(entry(words[i]));
    }
    lines.add("{\"audio_filepath\": \"wavs/bravo.wav\", \"text\": \"bravo again\"}");
    lines.add("{broken");
    assertThat(lines).hasSize(14);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static String entry(String word) {
    return "{\"audio_filepath\": \"wavs/" + word + ".wav\", \"text\": \"" + word + "\"}";
  }

  /** Writes the first {@code n} lines as the manifest in {@code dir}. */
  private static Path manifest(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    Path m = dir.resolve("manifest.json");
    // The audio is found relative to the manifest's folder.
    if (!Files.exists(dir.resolve("wavs"))) {
      Files.createSymbolicLink(dir.resolve("wavs"), data.resolve("wavs"));
    }
    Files.writeString(m, String.join("\n", lines.subList(0, n)) + "\n");
    return m;
  }

  /** Local files committed as on S3: by a commit marker, not by rename. */
  private static final Storage MARKER =
      Storage.withSettings(Map.of("nautilus.commit.protocol", "marker"));

  private Storage storage = Storage.local();

  private PrepareResult prepare(Path manifest, Path output, String... extra) {
    List<String> o = new ArrayList<>();
    o.add("input.manifests=[" + manifest + "]");
    o.add("output.dir=" + output);
    // One task per stage: these inputs are tiny, and Spark's per-task cost dominates.
    o.add("spark.partitions=1");
    o.addAll(Arrays.asList(extra));
    return new PrepareJob(spark, storage, out)
        .run(
            PrepareConfig.options(ConfigLoader.load(PrepareConfig.SCHEMA, null, o)),
            ConfigLoader.load(PrepareConfig.SCHEMA, null, o).toYaml());
  }

  private ShardResult shard(Path prepared, Path output, String... extra) {
    List<String> o = new ArrayList<>();
    o.add("input.prepared=[" + prepared + "]");
    o.add("output.dir=" + output);
    o.add("shard.num_shards=3");
    o.add("spark.partitions=1");
    o.addAll(Arrays.asList(extra));
    return new ShardJob(spark, storage, out)
        .run(
            ShardConfig.options(ConfigLoader.load(ShardConfig.SCHEMA, null, o)),
            ConfigLoader.load(ShardConfig.SCHEMA, null, o).toYaml());
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  /** SHA-256 and modification time of every file under {@code dir}. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(
            dir.relativize(p).toString(),
            sha256(Files.readAllBytes(p)) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void reRunningPrepareAndShardOnTheSameInputDoesNothingAndLeavesTheOutputAsItWas()
      throws Exception {
    Path m = manifest(tmp.resolve("in"), FIRST_PART);
    Path prepared = tmp.resolve("prepared");
    Path shards = tmp.resolve("shards");
    prepare(m, prepared);
    shard(prepared, shards);
    Map<String, String> before = snapshot(tmp);
    printed.reset();

    PrepareResult p = prepare(m, prepared);
    ShardResult s = shard(prepared, shards, "spark.partitions=3");

    assertThat(p.upToDate()).isTrue();
    assertThat(s.upToDate()).isTrue();
    assertThat(printed())
        .isEqualTo(
            "Nothing to do: "
                + prepared
                + " already holds the committed result of this run (the same 1 manifest(s),"
                + " unchanged, and the same config); pass --overwrite to run it again\n"
                + "Nothing to do: "
                + shards
                + " already holds the committed result of this run (the same 1 prepared input(s),"
                + " unchanged, and the same config); pass --overwrite to run it again\n");
    assertThat(snapshot(tmp)).isEqualTo(before);
  }

  @Test
  void aChangedConfigOrInputStillNeedsOverwriteAndTheRefusalSaysWhatDiffers() throws Exception {
    Path m = manifest(tmp.resolve("in"), FIRST_PART);
    Path prepared = tmp.resolve("prepared");
    Path shards = tmp.resolve("shards");
    prepare(m, prepared);
    shard(prepared, shards);

    assertThatThrownBy(() -> prepare(m, prepared, "filter.max_duration=10"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot write to "
                + prepared
                + ": it holds the result of a different run (filter.max_duration: null -> 10.0);"
                + " pass --overwrite (output.overwrite=true) to replace it");
    assertThatThrownBy(() -> shard(prepared, shards, "shard.shuffle_seed=7"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot write to "
                + shards
                + ": it holds the result of a different run (shard.shuffle_seed: 0 -> 7); pass"
                + " --overwrite (output.overwrite=true) to replace it");

    manifest(tmp.resolve("in"), FIRST_PART + 1);
    long grown = Files.size(m);
    assertThatThrownBy(() -> prepare(m, prepared))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(
            "it holds the result of a different run (input "
                + m
                + " changed ("
                + grown
                + " bytes, was ");
    assertThat(prepare(m, prepared, "output.overwrite=true").inputLines())
        .isEqualTo(FIRST_PART + 1);
  }

  @Test
  void incrementalPrepareReadsOnlyAppendedLinesAndFailsWhenReadLinesChanged() throws Exception {
    Path m = manifest(tmp.resolve("in"), FIRST_PART);
    Path prepared = tmp.resolve("prepared");
    PrepareResult first = prepare(m, prepared, "output.incremental=true");
    assertThat(first.inputLines()).isEqualTo(FIRST_PART);

    manifest(tmp.resolve("in"), 11);
    // An unfinished last line (a writer still appending) waits for a later run.
    Files.writeString(m, lines.get(11).substring(0, 10), java.nio.file.StandardOpenOption.APPEND);
    PrepareResult second = prepare(m, prepared, "output.incremental=true");
    assertThat(second.inputLines()).isEqualTo(3);
    assertThat(second.accepted()).isEqualTo(3);
    assertThat(printed()).contains("note: line 12 of " + m + " has no line end yet");
    List<Long> secondLines = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(prepared.resolve("runs/run-00001/accepted.parquet").toString())
            .select("line_number")
            .orderBy("line_number")
            .collectAsList()) {
      secondLines.add(r.getLong(0));
    }
    assertThat(secondLines).containsExactly(9L, 10L, 11L);

    printed.reset();
    PrepareResult third = prepare(m, prepared, "output.incremental=true");
    assertThat(third.upToDate()).isTrue();
    assertThat(printed())
        .endsWith(
            "Nothing to do: "
                + prepared
                + " already holds every line of the 1 manifest(s) (11 line(s) in 2 run(s)); no"
                + " new lines\n");

    Files.writeString(m, "{\"changed\": 1}\n" + String.join("\n", lines.subList(1, 12)) + "\n");
    assertThatThrownBy(() -> prepare(m, prepared, "output.incremental=true"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot run prepare --incremental: manifest "
                + m
                + " changed in its first 11 line(s), which an earlier run already read (only"
                + " appending lines is allowed); run without --incremental into a new output, or"
                + " pass --overwrite to start "
                + prepared
                + " over");
    assertThatThrownBy(
            () -> prepare(m, prepared, "output.incremental=true", "filter.min_duration=1"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot add to "
                + prepared
                + ": its earlier runs used another config (filter.min_duration: 0.0 -> 1.0); run"
                + " with the same config, or pass --overwrite to start it over");
  }

  @Test
  void twoScheduledRunsOverAGrowingManifestEqualOneRunOverTheFinalManifest() throws Exception {
    Path m = manifest(tmp.resolve("in"), FIRST_PART);
    Path prepared = tmp.resolve("prepared");
    Path shards = tmp.resolve("shards");

    // Run 1, on the first part.
    prepare(m, prepared, "output.incremental=true");
    ShardResult v0 = shard(prepared, shards, "output.append=true");
    assertThat(v0.version()).isZero();
    assertThat(v0.inShards()).isEqualTo(6);
    assertThat(v0.remainder()).isEqualTo(1);
    Map<String, String> firstShards = snapshot(shards);

    // Run 2, after lines were appended.
    manifest(tmp.resolve("in"), lines.size());
    PrepareResult p2 = prepare(m, prepared, "output.incremental=true");
    assertThat(p2.inputLines()).isEqualTo(6);
    assertThat(p2.byReason()).containsEntry("DUPLICATE", 1L);
    ShardResult v1 = shard(prepared, shards, "output.append=true");
    assertThat(v1.version()).isEqualTo(1);
    // 4 new entries and 1 carried in, in shards of 2 as before: shards 3 and 4, one left over.
    assertThat(v1.entries()).isEqualTo(5);
    assertThat(v1.shards()).isEqualTo(2);
    assertThat(v1.remainder()).isEqualTo(1);

    // Earlier shards are untouched, new ones numbered after them, NeMo's versioned files beside.
    Map<String, String> after = snapshot(shards);
    firstShards.forEach((name, digest) -> assertThat(after).containsEntry(name, digest));
    assertThat(after.keySet())
        .contains(
            "audio_3.tar",
            "audio_4.tar",
            "sharded_manifests/manifest_4.json",
            "tarred_audio_manifest_version_1.json",
            "metadata_version_1.yaml",
            "shard_index_version_1.json",
            "remainder_manifest_version_1.json")
        .doesNotContain("audio_5.tar");
    JsonNode meta =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(shards.resolve("metadata_version_1.yaml").toFile());
    assertThat(meta.path("version").asInt()).isEqualTo(1);
    assertThat(meta.path("is_concatenated_manifest").asBoolean()).isTrue();
    assertThat(meta.path("num_samples_per_shard").asInt()).isEqualTo(2);
    assertThat(meta.path("dataset_config").path("num_shards").asInt()).isEqualTo(5);
    assertThat(meta.path("history")).hasSize(1);
    assertThat(meta.path("history").get(0).path("version").asInt()).isZero();
    assertThat(new ShardVerifier(Storage.local()).verify(shards.toString()).problems()).isEmpty();

    // Every input line is in exactly one run's accepted records or rejects, and the counts add up.
    List<Long> seen = new ArrayList<>();
    for (String run : List.of("runs/run-00000", "runs/run-00001")) {
      for (Row r :
          spark
              .read()
              .parquet(prepared.resolve(run + "/accepted.parquet").toString())
              .select("line_number")
              .collectAsList()) {
        seen.add(r.getLong(0));
      }
      for (String l : Files.readAllLines(prepared.resolve(run + "/rejects/rejects.json"))) {
        seen.add(JSON.readTree(l).get("line_number").asLong());
      }
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
    JsonNode totals = JSON.readTree(prepared.resolve(PrepareState.FILE).toFile()).get("totals");
    assertThat(totals.get("conservation").asText()).isEqualTo("14 = 11 + 3");
    assertThat(totals.get("runs").asInt()).isEqualTo(2);

    // One run over the final manifest.
    Path onePrepared = tmp.resolve("one/prepared");
    Path oneShards = tmp.resolve("one/shards");
    prepare(m, onePrepared);
    ShardResult one = shard(onePrepared, oneShards);
    assertThat(one.inShards() + one.remainder()).isEqualTo(11);

    List<String> scheduled =
        samples(
            shards, "tarred_audio_manifest_version_1.json", "remainder_manifest_version_1.json");
    List<String> single = samples(oneShards, ShardJob.TARRED_MANIFEST, ShardJob.REMAINDER);
    assertThat(scheduled).hasSize(11).doesNotHaveDuplicates().isEqualTo(single);

    printed.reset();
    assertThat(prepare(m, prepared, "output.incremental=true").upToDate()).isTrue();
    assertThat(shard(prepared, shards, "output.append=true").upToDate()).isTrue();
    assertThat(printed())
        .endsWith(
            "Nothing to do: "
                + shards
                + " already holds every prepared input (2, in 5 shard(s), version 1); no new"
                + " prepared data\n");
    assertThatThrownBy(() -> shard(prepared, shards, "output.append=true", "shard.shuffle=false"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot append to "
                + shards
                + ": its shards were written with another config (shard.shuffle: true -> false);"
                + " append with the same config, or pass --overwrite to rewrite the set");
  }

  @Test
  void anAppendKilledBeforeItsCommitIsCleanedUpByTheNextOne() throws Exception {
    Path m = manifest(tmp.resolve("in"), FIRST_PART);
    Path prepared = tmp.resolve("prepared");
    Path shards = tmp.resolve("shards");
    prepare(m, prepared, "output.incremental=true");
    shard(prepared, shards, "output.append=true");
    // What a run killed before writing metadata_version_1.yaml leaves: shards and version files.
    Files.writeString(shards.resolve("audio_3.tar"), "half");
    Files.writeString(shards.resolve("sharded_manifests/manifest_3.json"), "{}\n");
    Files.writeString(shards.resolve("tarred_audio_manifest_version_1.json"), "{}\n");
    assertThat(new ShardVerifier(Storage.local()).verify(shards.toString()).problems())
        .containsExactly(shards.getFileName() + "/audio_3.tar: a tar that the index does not list");

    manifest(tmp.resolve("in"), lines.size());
    prepare(m, prepared, "output.incremental=true");
    printed.reset();
    ShardResult v1 = shard(prepared, shards, "output.append=true");

    assertThat(printed())
        .contains("note: removed audio_3.tar from " + shards + ", left by a run that was stopped")
        .contains("note: removed tarred_audio_manifest_version_1.json from " + shards);
    assertThat(v1.version()).isEqualTo(1);
    assertThat(new ShardVerifier(Storage.local()).verify(shards.toString()).problems()).isEmpty();
  }

  @Test
  void onAMarkerStoreEachAppendIsCommittedByRewritingTheMarker() throws Exception {
    storage = MARKER;
    Path m = manifest(tmp.resolve("in"), FIRST_PART);
    Path prepared = tmp.resolve("prepared");
    Path shards = tmp.resolve("shards");
    prepare(m, prepared, "output.incremental=true");
    shard(prepared, shards, "output.append=true");
    manifest(tmp.resolve("in"), lines.size());
    prepare(m, prepared, "output.incremental=true");
    ShardResult v1 = shard(prepared, shards, "output.append=true");

    assertThat(v1.version()).isEqualTo(1);
    assertThat(prepared.resolve("runs/run-00001/_NAUTILUS_COMMITTED")).exists();
    String marker = Files.readString(shards.resolve("_NAUTILUS_COMMITTED"));
    assertThat(marker)
        .contains("\"audio_0.tar\"", "\"audio_4.tar\"", "\"metadata_version_1.yaml\"")
        .contains("\"shard_state_version_1.json\"");
    assertThat(new ShardVerifier(MARKER).verify(shards.toString()).problems()).isEmpty();
    assertThat(
            samples(
                shards,
                "tarred_audio_manifest_version_1.json",
                "remainder_manifest_version_1.json"))
        .hasSize(11)
        .doesNotHaveDuplicates();

    // Files of an append that never wrote its marker are not part of the set, and go.
    Files.writeString(shards.resolve("audio_5.tar"), "half");
    assertThat(ShardVersions.current(MARKER, new org.apache.hadoop.fs.Path(shards.toUri())))
        .isEqualTo(1);
    printed.reset();
    assertThat(shard(prepared, shards, "output.append=true").upToDate()).isTrue();
    assertThat(printed()).contains("note: removed audio_5.tar from " + shards);
    assertThat(shards.resolve("audio_5.tar")).doesNotExist();
  }

  /**
   * Every sample of a shard set, sharded or in the remainder, as {@code text|audio file}, sorted;
   * each sharded sample's bytes are checked against its source file.
   */
  private static List<String> samples(Path set, String manifest, String remainder)
      throws IOException {
    List<String> tars;
    try (Stream<Path> s = Files.list(set)) {
      tars = s.map(Path::toString).filter(p -> p.endsWith(".tar")).sorted().toList();
    }
    Map<String, byte[]> members = new TreeMap<>();
    try (MultiShardReader r =
        MultiShardReader.builder().setShards(tars).setOpener(ShardOpener.localFiles()).build()) {
      r.forEachRemaining(
          (Sample s) -> s.members().forEach((ext, b) -> members.put(s.key() + "." + ext, b)));
    }
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(set.resolve(manifest))) {
      JsonNode e = JSON.readTree(l);
      String member = e.get("audio_filepath").asText().replaceAll("-sub\\d+(\\.wav)$", "$1");
      String file = member.replaceFirst("^wavs_", "");
      assertThat(members.get(member))
          .as(member)
          .isEqualTo(Files.readAllBytes(data.resolve("wavs/" + file)));
      out.add(e.get("text").asText() + "|" + file);
    }
    if (Files.exists(set.resolve(remainder))) {
      for (String l : Files.readAllLines(set.resolve(remainder))) {
        JsonNode e = JSON.readTree(l);
        out.add(
            e.get("text").asText() + "|" + Path.of(e.get("audio_filepath").asText()).getFileName());
      }
    }
    out.sort(null);
    return out;
  }
}
