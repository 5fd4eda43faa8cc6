package io.nautilus.shard.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.DecodedAudio;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.prepare.TestAudio;
import io.nautilus.shard.MultiShardReader;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  private static SparkSession spark;
  private static Path prepared;
  private static Path data;
  private static int entries;

  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void prepareOnce() throws IOException {
    // local[2,4]: two threads, and a failed task is retried up to 4 times, as on a cluster.
    spark =
        SparkSession.builder()
            .master("local[2,4]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    data = shared.resolve("data");
    StringBuilder manifest = new StringBuilder();
    String[] words = {
      "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
      "kilo"
    };
    for (int i = 0; i < words.length; i++) {
      double seconds = 0.5 + 0.25 * i;
      TestAudio.sine(
          data.resolve("wavs/" + words[i] + ".wav"),
          seconds,
          i % 2 == 0 ? 16000 : 22050,
          1 + i % 2,
          200 + 40 * i);
      manifest.append(
          String.format(
              "{\"audio_filepath\": \"wavs/%s.wav\", \"text\": \"%s\", \"speaker\": \"s%d\"}%n",
              words[i], words[i], i % 3));
    }
    // The same file twice, once with an offset slice.
    manifest.append(
        "{\"audio_filepath\": \"wavs/kilo.wav\", \"offset\": 0.5, \"duration\": 1.0, \"text\": \"kilo slice\"}\n");
    Files.writeString(data.resolve("manifest.json"), manifest);
    entries = words.length + 1;
    prepared = shared.resolve("prepared");
    new PrepareJob(spark, Storage.local(), QUIET)
        .run(
            PrepareConfig.options(
                ConfigLoader.load(
                    PrepareConfig.SCHEMA,
                    null,
                    List.of(
                        "input.manifests=[" + data.resolve("manifest.json") + "]",
                        "output.dir=" + prepared))),
            "x: 1\n");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private ShardResult shard(Path out, String... overrides) {
    List<String> o =
        new ArrayList<>(List.of("input.prepared=[" + prepared + "]", "output.dir=" + out));
    o.addAll(List.of(overrides));
    return new ShardJob(spark, Storage.local(), QUIET)
        .run(
            ShardConfig.options(ConfigLoader.load(ShardConfig.SCHEMA, null, o)),
            "resolved: true\n");
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static List<Sample> readAll(Path dir) throws IOException {
    List<String> tars;
    try (Stream<Path> s = Files.list(dir)) {
      tars =
          s.filter(p -> p.getFileName().toString().endsWith(".tar"))
              .map(Path::toString)
              .sorted()
              .toList();
    }
    List<Sample> samples = new ArrayList<>();
    try (MultiShardReader r =
        MultiShardReader.builder().setShards(tars).setOpener(ShardOpener.localFiles()).build()) {
      r.forEachRemaining(samples::add);
    }
    return samples;
  }

  /** sha-256 of every shard, shard manifest, the combined manifest and the index. */
  private static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> d = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = dir.relativize(p).toString();
        if (name.endsWith(".tar") || name.endsWith(".json")) {
          d.put(
              name,
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return d;
  }

  @Test
  void copyModeRoundTripReturnsEveryAcceptedSampleBitExact() throws IOException {
    Path out = tmp.resolve("shards");
    ShardResult r = shard(out, "shard.num_shards=3", "shard.equal_count=false");

    assertThat(r.entries()).isEqualTo(entries);
    assertThat(r.inShards()).isEqualTo(entries);
    assertThat(r.remainder()).isZero();
    List<JsonNode> all = lines(out.resolve(ShardJob.TARRED_MANIFEST));
    assertThat(all).hasSize(entries);
    Map<String, byte[]> members = new TreeMap<>();
    for (Sample s : readAll(out)) {
      s.members().forEach((ext, bytes) -> members.put(s.key() + "." + ext, bytes));
    }
    // kilo.wav is referenced twice but is not stored twice in one shard.
    assertThat(members).hasSizeBetween(entries - 1, entries);
    // Named after the path relative to the manifest's folder (wavs/alpha.wav), squashed as NeMo
    // does: the same names wherever the dataset is stored.
    assertThat(members.keySet()).allMatch(n -> n.matches("wavs_[a-z]+\\.wav"), "wavs_<word>.wav");
    assertThat(members).containsKey("wavs_alpha.wav");
    for (JsonNode e : all) {
      String name = e.get("audio_filepath").asText().replaceAll("-sub\\d+(\\.wav)$", "$1");
      String word = name.replaceAll("^wavs_(\\w+)\\.wav$", "$1");
      assertThat(members.get(name))
          .as(name)
          .isEqualTo(Files.readAllBytes(data.resolve("wavs/" + word + ".wav")));
      assertThat(e.get("shard_id").asInt()).isBetween(0, 2);
    }
    assertThat(new ShardVerifier(Storage.local()).verify(out.toString()).problems()).isEmpty();
  }

  @Test
  void equalCountModeWritesTheRemainderInsteadOfDroppingIt() throws IOException {
    Path out = tmp.resolve("shards");
    ShardResult r = shard(out, "shard.num_shards=5");

    assertThat(r.inShards()).isEqualTo(10);
    assertThat(r.remainder()).isEqualTo(2);
    assertThat(r.inShards() + r.remainder()).isEqualTo(entries);
    for (int i = 0; i < 5; i++) {
      assertThat(lines(out.resolve("sharded_manifests/manifest_" + i + ".json"))).hasSize(2);
    }
    List<JsonNode> rest = lines(out.resolve(ShardJob.REMAINDER));
    assertThat(rest).hasSize(2);
    assertThat(rest.get(0).get("audio_filepath").asText()).startsWith(data.toString());
    assertThat(r.notes())
        .anySatisfy(n -> assertThat(n).contains("2 entries did not divide evenly into 5 shards"));
    assertThat(Files.readString(out.resolve(ShardJob.METADATA)))
        .contains("num_samples_per_shard: 2");
  }

  @Test
  void shardsAreByteIdenticalAcrossPartitionCounts() throws Exception {
    shard(
        tmp.resolve("one"), "shard.num_shards=4", "spark.partitions=1", "shard.equal_count=false");
    shard(
        tmp.resolve("four"), "shard.num_shards=4", "spark.partitions=4", "shard.equal_count=false");

    Map<String, String> one = digests(tmp.resolve("one"));
    assertThat(one)
        .containsKeys(
            "audio_0.tar", "audio_3.tar", "tarred_audio_manifest.json", "shard_index.json");
    assertThat(digests(tmp.resolve("four"))).isEqualTo(one);
  }

  @Test
  void aSeedChangesTheOrderButNotTheSetOfSamples() throws IOException {
    shard(tmp.resolve("a"), "shard.num_shards=1", "shard.shuffle_seed=1");
    shard(tmp.resolve("b"), "shard.num_shards=1", "shard.shuffle_seed=2");

    List<String> a =
        lines(tmp.resolve("a/tarred_audio_manifest.json")).stream()
            .map(e -> e.get("text").asText())
            .toList();
    List<String> b =
        lines(tmp.resolve("b/tarred_audio_manifest.json")).stream()
            .map(e -> e.get("text").asText())
            .toList();
    assertThat(a).isNotEqualTo(b).containsExactlyInAnyOrderElementsOf(b);
  }

  @Test
  void aTaskThatFailsMidwayIsRetriedAndTheOutputEqualsACleanRun() throws Exception {
    shard(tmp.resolve("clean"), "shard.num_shards=3", "spark.partitions=2");
    ShardResult r =
        shard(
            tmp.resolve("retried"),
            "shard.num_shards=3",
            "spark.partitions=2",
            "debug.fail_after_samples=2");

    assertThat(r.inShards()).isEqualTo(12 - r.remainder());
    assertThat(digests(tmp.resolve("retried"))).isEqualTo(digests(tmp.resolve("clean")));
    try (Stream<Path> s = Files.walk(tmp.resolve("retried"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
    assertThat(new ShardVerifier(Storage.local()).verify(tmp.resolve("retried").toString()).ok())
        .isTrue();
  }

  @Test
  void sortInShardsOrdersEachShardByDuration() throws IOException {
    Path out = tmp.resolve("sorted");
    shard(out, "shard.num_shards=2", "shard.sort_in_shards=true", "shard.equal_count=false");
    for (int i = 0; i < 2; i++) {
      List<Double> d =
          lines(out.resolve("sharded_manifests/manifest_" + i + ".json")).stream()
              .map(e -> e.get("duration").asDouble())
              .toList();
      assertThat(d).isSorted();
    }
  }

  @Test
  void bucketsAreFullDatasetsSplitByDuration() throws IOException {
    Path out = tmp.resolve("buckets");
    ShardResult r =
        shard(
            out,
            "shard.buckets_num=2",
            "shard.num_shards=1",
            "shard.min_duration=0.5",
            "shard.max_duration=3.0");

    assertThat(r.inShards()).isEqualTo(entries);
    List<JsonNode> low = lines(out.resolve("bucket1/tarred_audio_manifest.json"));
    List<JsonNode> high = lines(out.resolve("bucket2/tarred_audio_manifest.json"));
    assertThat(low).allSatisfy(e -> assertThat(e.get("duration").asDouble()).isLessThan(1.75));
    assertThat(high)
        .allSatisfy(e -> assertThat(e.get("duration").asDouble()).isGreaterThanOrEqualTo(1.75));
    assertThat(low.size() + high.size()).isEqualTo(entries);
    assertThat(out.resolve("bucket1/metadata.yaml")).exists();
    assertThat(new ShardVerifier(Storage.local()).verify(out.toString()).ok()).isTrue();
  }

  @Test
  void wavCodecAndSlicesStoreDecodedPcm() throws Exception {
    Path out = tmp.resolve("wav");
    shard(out, "shard.num_shards=1", "audio.codec=wav", "shard.slice_with_offset=true");

    Map<String, byte[]> members = new TreeMap<>();
    for (Sample s : readAll(out)) {
      s.members().forEach((ext, bytes) -> members.put(s.key() + "." + ext, bytes));
    }
    JsonNode slice =
        lines(out.resolve(ShardJob.TARRED_MANIFEST)).stream()
            .filter(e -> e.get("text").asText().equals("kilo slice"))
            .findFirst()
            .orElseThrow();
    assertThat(slice.has("offset")).isFalse();
    assertThat(slice.get("duration").asDouble()).isEqualTo(1.0);
    DecodedAudio stored =
        AudioDecoder.decode(
            new ByteArrayInputStream(members.get(slice.get("audio_filepath").asText())), "slice");
    DecodedAudio source;
    try (var in = Files.newInputStream(data.resolve("wavs/kilo.wav"))) {
      source = AudioDecoder.decode(in, "kilo", 0.5, 1.0);
    }
    assertThat(stored.frames()).isEqualTo(16000);
    for (int i = 0; i < stored.frames(); i += 97) {
      assertThat(stored.samples()[0][i])
          .isCloseTo(source.samples()[0][i], org.assertj.core.data.Offset.offset(1e-4f));
    }
    assertThat(new ShardVerifier(Storage.local()).verify(out.toString()).ok()).isTrue();
  }

  @Test
  void resampleModeStoresExactlyTheIndependentlyResampledAudio() throws Exception {
    Path wav = tmp.resolve("wav16k");
    Path flac = tmp.resolve("flac16k");
    shard(
        wav, "shard.num_shards=1", "audio.codec=wav", "audio.sample_rate=16000", "audio.mono=true");
    shard(
        flac,
        "shard.num_shards=1",
        "audio.codec=flac",
        "audio.sample_rate=16000",
        "audio.mono=true");

    Map<String, byte[]> wavMembers = new TreeMap<>();
    for (Sample s : readAll(wav)) {
      s.members().forEach((ext, bytes) -> wavMembers.put(s.key(), bytes));
    }
    Map<String, byte[]> flacMembers = new TreeMap<>();
    for (Sample s : readAll(flac)) {
      s.members().forEach((ext, bytes) -> flacMembers.put(s.key(), bytes));
    }
    assertThat(flacMembers.keySet()).isEqualTo(wavMembers.keySet());
    String key =
        wavMembers.keySet().stream().filter(k -> k.endsWith("_charlie")).findFirst().orElseThrow();
    DecodedAudio source;
    try (var in = Files.newInputStream(data.resolve("wavs/charlie.wav"))) {
      source = AudioDecoder.decode(in, "charlie");
    }
    byte[] expected =
        io.nautilus.audio.AudioTranscoder.encode(
            io.nautilus.audio.AudioTranscoder.convert(source, 16000, true),
            16000,
            io.nautilus.audio.Codec.WAV);
    assertThat(wavMembers.get(key)).isEqualTo(expected);
    DecodedAudio fromFlac =
        AudioDecoder.decode(new ByteArrayInputStream(flacMembers.get(key)), "flac");
    DecodedAudio fromWav =
        AudioDecoder.decode(new ByteArrayInputStream(wavMembers.get(key)), "wav");
    assertThat(fromFlac.sampleRate()).isEqualTo(16000);
    assertThat(fromFlac.samples()[0]).isEqualTo(fromWav.samples()[0]);
    assertThat(new ShardVerifier(Storage.local()).verify(flac.toString()).problems()).isEmpty();
    assertThat(Files.readString(flac.resolve(ShardJob.METADATA)))
        .contains("sample_rate: 16000")
        .contains("force_codec: \"flac\"");
  }

  @Test
  void verifyReportsTamperingLeftoversAndMissingFiles() throws IOException {
    Path out = tmp.resolve("tampered");
    shard(out, "shard.num_shards=2", "shard.equal_count=false");
    byte[] tar = Files.readAllBytes(out.resolve("audio_1.tar"));
    tar[1024] ^= 0x01;
    Files.write(out.resolve("audio_1.tar"), tar);
    Files.writeString(out.resolve(".audio_0.tar.tmp-7"), "partial");
    Files.delete(out.resolve("sharded_manifests/manifest_0.json"));

    List<String> problems = new ShardVerifier(Storage.local()).verify(out.toString()).problems();

    assertThat(problems).anySatisfy(p -> assertThat(p).contains("audio_1.tar: md5"));
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        out.getFileName() + "/.audio_0.tar.tmp-7: an uncommitted temporary file"));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).endsWith("sharded_manifests/manifest_0.json is missing"));
  }

  @Test
  void pythonTarfileReadsOurShardsAsPlainUstarWithAdjacentMembers() throws Exception {
    assumeThat(Path.of("/usr/bin/python3"))
        .as("/usr/bin/python3 is needed for this check")
        .exists();
    Path out = tmp.resolve("py");
    shard(out, "shard.num_shards=2", "shard.equal_count=false");
    String script =
        String.join(
            "\n",
            "import sys, tarfile, json, re",
            "for i in range(2):",
            "    path = sys.argv[1] + '/audio_%d.tar' % i",
            "    raw = open(path, 'rb').read()",
            "    names = [re.sub(r'-sub[0-9]+([.][a-z]+)$', r'\\1', json.loads(l)['audio_filepath']) for l in open(sys.argv[1] + '/sharded_manifests/manifest_%d.json' % i)]",
            "    with tarfile.open(path) as t:",
            "        members = t.getmembers()",
            "        for m in members:",
            "            assert m.type == tarfile.REGTYPE, m.name",
            "            assert not m.pax_headers, m.name",
            "            assert raw[m.offset + 257:m.offset + 265] == b'ustar\\x0000', m.name",
            "            assert len(m.name.encode()) <= 100",
            "        keys = [m.name.split('.')[0] for m in members]",
            "        assert len(keys) == len(set(keys)), 'a key appears twice: not adjacent'",
            "        assert sorted(m.name for m in members) == sorted(set(names)), (names, [m.name for m in members])",
            "print('ok')");
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", script, out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output.strip()).isEqualTo("ok");
  }
}
