package io.nautilus.shard.wds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.config.ConfigLoader;
import io.nautilus.image.ImageInfo;
import io.nautilus.image.ImageProbe;
import io.nautilus.io.Storage;
import io.nautilus.shard.MultiShardReader;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import io.nautilus.shard.WidsIndex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

class WdsJobTest {
  private static final Path SAMPLE = Path.of("..", "data", "sample").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private WdsResult run(Path conf, String... overrides) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new WdsJob(spark, Storage.local(), quiet)
        .run(
            WdsConfig.options(ConfigLoader.load(WdsConfig.SCHEMA, conf, List.of(overrides))),
            "x: 1\n");
  }

  private static List<Sample> samples(Path dir, String name) throws IOException {
    List<String> tars;
    try (Stream<Path> s = Files.list(dir)) {
      tars = s.map(Path::toString).filter(p -> p.endsWith(".tar")).sorted().toList();
    }
    List<Sample> out = new ArrayList<>();
    try (MultiShardReader r =
        MultiShardReader.builder().setShards(tars).setOpener(ShardOpener.localFiles()).build()) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void sftRecordsBecomeJsonAndTextMembersAndEveryLineIsCounted() throws IOException {
    Path input = tmp.resolve("sft.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(SAMPLE.resolve("sft/train.jsonl")));
    lines.add("not json");
    lines.add("[1, 2]");
    lines.add("{\"taskname\": \"fortune_topic\", \"answer\": \"food\"}");
    lines.add("{\"taskname\": \"fortune_topic\", \"context\": 42, \"answer\": \"food\"}");
    lines.add("");
    Files.write(tmp.resolve("sft.jsonl"), lines);
    Path out = tmp.resolve("out");

    WdsResult r =
        run(
            Path.of("..", "conf", "shard", "sft.yaml"),
            "input.manifests=[" + input + "]",
            "output.dir=" + out,
            "webdataset.maxcount=100");

    assertThat(r.inputLines()).isEqualTo(293);
    assertThat(r.samples()).isEqualTo(288);
    assertThat(r.rejected()).isEqualTo(5);
    assertThat(r.shards()).isEqualTo(3);
    assertThat(r.byReason())
        .containsExactly(
            Map.entry("BLANK_LINE", 1L),
            Map.entry("MALFORMED_JSON", 1L),
            Map.entry("NOT_AN_OBJECT", 1L),
            Map.entry("MISSING_FIELD", 1L),
            Map.entry("WRONG_TYPE", 1L));
    List<Sample> samples = samples(out, "sft");
    assertThat(samples).hasSize(288);
    List<String> original =
        lines.subList(0, 288).stream()
            .map(
                l -> {
                  try {
                    return JSON.readTree(l).toString();
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .sorted()
            .toList();
    List<String> stored = new ArrayList<>();
    for (Sample s : samples) {
      assertThat(s.members().keySet()).containsExactly("json", "txt");
      JsonNode rec = JSON.readTree(s.member("json"));
      assertThat(new String(s.member("txt"), StandardCharsets.UTF_8))
          .isEqualTo(rec.get("context").asText());
      stored.add(rec.toString());
    }
    assertThat(stored.stream().sorted().toList()).isEqualTo(original);
    WidsIndex index;
    try (InputStream in = Files.newInputStream(out.resolve("sft.wids.json"))) {
      index = WidsIndex.read(in);
    }
    assertThat(index.shards())
        .extracting(WidsIndex.Shard::nsamples)
        .containsExactly(100L, 100L, 88L);
    for (WidsIndex.Shard s : index.shards()) {
      byte[] tar = Files.readAllBytes(out.resolve(s.url()));
      assertThat((long) tar.length).isEqualTo(s.filesize());
      assertThat(md5(tar)).isEqualTo(s.md5sum());
    }
    List<JsonNode> rejects = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve(WdsJob.REJECTS))) {
      rejects.add(JSON.readTree(l));
    }
    assertThat(rejects)
        .extracting(j -> j.get("line_number").asLong())
        .containsExactly(289L, 290L, 291L, 292L, 293L);
    assertThat(rejects.get(3).get("message").asText())
        .isEqualTo("context must be a string, got 42");
  }

  @Test
  void imageTextSamplesCarryImageCaptionAndRecordAndBadImagesAreRejected() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("images"));
    List<String> lines = new ArrayList<>();
    List<String> sample = Files.readAllLines(SAMPLE.resolve("image_text/manifest.jsonl"));
    for (String l : sample.subList(0, 10)) {
      JsonNode n = JSON.readTree(l);
      Files.copy(
          SAMPLE.resolve("image_text").resolve(n.get("image_filepath").asText()),
          data.resolve(n.get("image_filepath").asText()));
      lines.add(l);
    }
    Files.writeString(data.resolve("images/fake.png"), "not an image");
    lines.add("{\"image_filepath\": \"images/fake.png\", \"caption\": \"fake\"}");
    lines.add("{\"image_filepath\": \"images/none.png\", \"caption\": \"missing\"}");
    lines.add("{\"image_filepath\": \"../outside.png\", \"caption\": \"escape\"}");
    lines.add("{\"image_filepath\": \"images/img_00000.png\"}");
    Files.write(data.resolve("m.jsonl"), lines);
    Path out = tmp.resolve("out");

    WdsResult r =
        run(
            Path.of("..", "conf", "shard", "image_text.yaml"),
            "input.manifests=[" + data.resolve("m.jsonl") + "]",
            "output.dir=" + out,
            "image.resize_smallest_side=48",
            "webdataset.maxcount=4",
            "max_reject_fraction=0.5");

    assertThat(r.samples()).isEqualTo(10);
    assertThat(r.shards()).isEqualTo(3);
    assertThat(r.byReason())
        .containsExactly(
            Map.entry("MISSING_FIELD", 1L),
            Map.entry("PATH_OUTSIDE_ROOTS", 1L),
            Map.entry("FILE_NOT_FOUND", 1L),
            Map.entry("NOT_IMAGE", 1L));
    for (Sample s : samples(out, "image_text")) {
      JsonNode rec = JSON.readTree(s.member("json"));
      String ext =
          rec.get("image_filepath")
              .asText()
              .substring(rec.get("image_filepath").asText().indexOf('.') + 1);
      assertThat(s.members().keySet()).containsExactlyInAnyOrder("json", "txt", ext);
      assertThat(rec.get("image_filepath").asText()).isEqualTo(s.key() + "." + ext);
      assertThat(new String(s.member("txt"), StandardCharsets.UTF_8))
          .isEqualTo(rec.get("caption").asText());
      ImageInfo info = ImageProbe.probe(s.member(ext), s.key());
      assertThat(info.smallestSide()).isEqualTo(48);
      assertThat(rec.get("width").asInt()).isEqualTo(info.width());
    }
  }

  @Test
  void resolutionFilterRejectsSmallImagesWithAMessage() throws IOException {
    Path out = tmp.resolve("out");
    WdsResult r =
        run(
            Path.of("..", "conf", "shard", "image_text.yaml"),
            "input.manifests=[" + SAMPLE.resolve("image_text/manifest.jsonl") + "]",
            "output.dir=" + out,
            "image.filter_method=larger",
            "image.filter_value=100",
            "max_reject_fraction=1.0");

    long big = 0;
    for (String l : Files.readAllLines(SAMPLE.resolve("image_text/manifest.jsonl"))) {
      JsonNode n = JSON.readTree(l);
      big += n.get("width").asInt() >= 100 && n.get("height").asInt() >= 100 ? 1 : 0;
    }
    assertThat(r.samples()).isEqualTo(big);
    assertThat(r.byReason()).containsOnlyKeys("RESOLUTION_FILTERED");
    assertThat(r.samples() + r.rejected()).isEqualTo(60);
  }

  @Test
  void shardsAreByteIdenticalAcrossPartitionCounts() throws Exception {
    String in = "input.manifests=[" + SAMPLE.resolve("image_text/manifest.jsonl") + "]";
    Path conf = Path.of("..", "conf", "shard", "image_text.yaml");
    run(conf, in, "output.dir=" + tmp.resolve("a"), "spark.partitions=1", "webdataset.maxcount=16");
    run(conf, in, "output.dir=" + tmp.resolve("b"), "spark.partitions=3", "webdataset.maxcount=16");
    assertThat(digests(tmp.resolve("b"))).isEqualTo(digests(tmp.resolve("a"))).hasSize(5);
  }

  private static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> d = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p :
          s.filter(p -> p.toString().endsWith(".tar") || p.toString().endsWith(".wids.json"))
              .toList()) {
        d.put(
            p.getFileName().toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return d;
  }

  private static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A run that records its real resolved config, as the CLI passes it. */
  private WdsResult runResolved(Path conf, String... overrides) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    io.nautilus.config.Config c = ConfigLoader.load(WdsConfig.SCHEMA, conf, List.of(overrides));
    return new WdsJob(spark, Storage.local(), quiet).run(WdsConfig.options(c), c.toYaml());
  }

  @Test
  void aRepeatedRunOnTheSameRecordsAndConfigHasNothingToDo() throws IOException {
    Path out = tmp.resolve("wds");
    Path conf = Path.of("..", "conf", "shard", "sft.yaml");
    String[] args = {
      "input.manifests=[" + SAMPLE.resolve("sft/val.jsonl") + "]", "output.dir=" + out
    };
    WdsResult first = runResolved(conf, args);
    assertThat(first.samples()).isEqualTo(36);
    Map<String, Long> before = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        before.put(out.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
      }
    }
    WdsResult again = runResolved(conf, args);
    assertThat(again.summary()).startsWith("Nothing to do: ");
    assertThat(again.samples()).isZero();
    Map<String, Long> after = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        after.put(out.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
      }
    }
    assertThat(after).isEqualTo(before).containsKey("run_fingerprint.json");
    assertThatThrownBy(() -> runResolved(conf, args[0], args[1], "webdataset.maxcount=7"))
        .hasMessageContaining("webdataset.maxcount");
  }
}
