package io.nautilus.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareJobTest {
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

  /** A manifest under construction: each line with the reason it must be rejected for, or null. */
  private static final class Manifest {
    final List<byte[]> lines = new ArrayList<>();
    final Map<Long, String> expected = new TreeMap<>();

    Manifest add(String line, String reason) {
      return addBytes(line.getBytes(StandardCharsets.UTF_8), reason);
    }

    Manifest addBytes(byte[] line, String reason) {
      lines.add(line);
      if (reason != null) {
        expected.put((long) lines.size(), reason);
      }
      return this;
    }

    Path write(Path file) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] l : lines) {
        out.write(l);
        out.write('\n');
      }
      Files.createDirectories(file.getParent());
      Files.write(file, out.toByteArray());
      return file;
    }
  }

  private static String entry(String path, Double duration, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("audio_filepath", path);
    if (duration != null) {
      m.put("duration", duration);
    }
    m.put("text", text);
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private PrepareOptions options(Path manifest, Path out, String... extra) {
    return PrepareConfig.options(config(List.of(manifest), out, extra));
  }

  private Config config(List<Path> manifests, Path out, String... extra) {
    List<String> o = new ArrayList<>();
    o.add(
        "input.manifests=["
            + String.join(",", manifests.stream().map(Path::toString).toList())
            + "]");
    o.add("output.dir=" + out);
    o.add("filter.min_duration=0.1");
    o.add("filter.max_duration=20.0");
    o.add("normalize.allowed_chars=a-z '");
    o.add("filter.max_chars_per_second=40.0");
    o.add("filter.min_chars_per_second=0.5");
    o.addAll(Arrays.asList(extra));
    return ConfigLoader.load(PrepareConfig.SCHEMA, null, o);
  }

  private PrepareResult run(PrepareOptions o) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new PrepareJob(spark, Storage.local(), quiet).run(o, "resolved: true\n");
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static Map<Long, String> rejectReasons(Path out) throws IOException {
    Map<Long, String> m = new TreeMap<>();
    for (JsonNode r : jsonLines(out.resolve(PrepareJob.REJECTS))) {
      m.put(r.get("line_number").asLong(), r.get("reason").asText());
    }
    return m;
  }

  @Test
  void everyBadInputBecomesARejectWithItsReason() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("wavs/good.wav"), 1.0, 16000, 1, 440);
    TestAudio.sine(data.resolve("wavs/stereo.wav"), 1.5, 22050, 2, 330);
    TestAudio.sineFloat(data.resolve("wavs/float.wav"), 1.2, 16000, 220);
    TestAudio.sine(data.resolve("wavs/copy_of_good.wav"), 1.0, 16000, 1, 440);
    TestAudio.sine(data.resolve("wavs/other.wav"), 2.0, 16000, 1, 500);
    TestAudio.sine(data.resolve("wavs/long.wav"), 21.0, 8000, 1, 500);
    TestAudio.sine(data.resolve("wavs/tiny.wav"), 0.05, 16000, 1, 500);
    TestAudio.sine(tmp.resolve("outside.wav"), 1.0, 16000, 1, 440);
    byte[] full = Files.readAllBytes(data.resolve("wavs/other.wav"));
    Files.write(data.resolve("wavs/truncated.wav"), Arrays.copyOf(full, full.length / 2));
    byte[] corrupt = full.clone();
    corrupt[12] = 'X'; // "fmt " chunk id destroyed
    corrupt[13] = 'X';
    corrupt[14] = 'X';
    corrupt[15] = 'X';
    Files.write(data.resolve("wavs/corrupt.wav"), corrupt);
    Files.writeString(data.resolve("wavs/text.wav"), "this is not audio at all, just text\n");
    Files.write(data.resolve("wavs/empty.wav"), new byte[0]);
    TestAudio.sine(data.resolve("wavs/zero.wav"), 0.0, 16000, 1, 440);

    for (String f :
        List.of(
            "espeak_hello.flac", "tone_s24_stereo.flac", "sox_s32_extensible.wav", "tone.ogg")) {
      try (var in = PrepareJobTest.class.getResourceAsStream("/audio/" + f)) {
        Files.copy(in, data.resolve("wavs/" + f));
      }
    }
    Manifest m = new Manifest();
    m.add(entry("wavs/espeak_hello.flac", null, "hello world"), null);
    // These decode (24-bit stereo FLAC, 32-bit WAVE_FORMAT_EXTENSIBLE) and are then filtered.
    m.add(entry("wavs/tone_s24_stereo.flac", null, "stereo tone"), "CPS_OUTLIER");
    m.add(entry("wavs/sox_s32_extensible.wav", null, "extensible"), "TOO_SHORT");
    m.add(entry("wavs/tone.ogg", null, "ogg vorbis"), "UNSUPPORTED_AUDIO");
    m.add(entry("wavs/good.wav", 1.0, "Hello, World!"), null);
    m.add(entry("wavs/stereo.wav", null, "stereo file"), null);
    m.add(
        "{\"audio_filepath\": \"wavs/float.wav\", \"text\": \"float samples\", \"speaker\": \"s1\", \"lang\": \"en\"}",
        null);
    m.add("{\"audio_filepath\": \"wavs/good.wav\", ", "MALFORMED_JSON");
    m.addBytes(
        concat(
            "{\"audio_filepath\": \"wavs/other.wav\", \"text\": \"caf"
                .getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xff, (byte) 0xfe},
            "\"}".getBytes(StandardCharsets.UTF_8)),
        "INVALID_UTF8");
    m.add("[1, 2, 3]", "NOT_AN_OBJECT");
    m.add("42", "NOT_AN_OBJECT");
    m.add("\"just a string\"", "NOT_AN_OBJECT");
    m.add("null", "NOT_AN_OBJECT");
    m.add("{\"duration\": 1.0, \"text\": \"no audio\"}", "MISSING_AUDIO_PATH");
    m.add("{\"audio_filepath\": \"wavs/other.wav\", \"duration\": 2.0}", "MISSING_TEXT");
    m.add("{\"audio_filepath\": 5, \"duration\": 2.0, \"text\": \"x\"}", "WRONG_TYPE");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"duration\": \"2.0\", \"text\": \"x\"}",
        "WRONG_TYPE");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"duration\": 2.0, \"text\": 123}", "WRONG_TYPE");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"duration\": 2.0, \"text\": [\"a\"]}",
        "WRONG_TYPE");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"duration\": NaN, \"text\": \"x\"}",
        "BAD_DURATION");
    m.add(entry("wavs/other.wav", -1.0, "negative"), "BAD_DURATION");
    m.add(entry("wavs/other.wav", 1e12, "absurd"), "BAD_DURATION");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"duration\": 1e400, \"text\": \"x\"}",
        "BAD_DURATION");
    m.add(entry("wavs/missing.wav", 1.0, "missing file"), "FILE_NOT_FOUND");
    m.add(entry("wavs/truncated.wav", null, "truncated"), "TRUNCATED_AUDIO");
    m.add(entry("wavs/corrupt.wav", null, "corrupt"), "CORRUPT_AUDIO");
    m.add(entry("wavs/text.wav", null, "text named wav"), "NOT_AUDIO");
    m.add(entry("wavs/empty.wav", null, "empty"), "EMPTY_FILE");
    m.add(entry("wavs/zero.wav", null, "zero frames"), "ZERO_LENGTH_AUDIO");
    m.add(entry("../outside.wav", null, "escape"), "PATH_OUTSIDE_ROOTS");
    m.add(entry("wavs/../../outside.wav", null, "escape"), "PATH_OUTSIDE_ROOTS");
    m.add(entry(tmp.resolve("outside.wav").toString(), null, "absolute"), "PATH_OUTSIDE_ROOTS");
    m.add(entry("/etc/passwd", null, "absolute"), "PATH_OUTSIDE_ROOTS");
    m.add(entry("wavs/other.wav", 2.0, "bell\u0007char"), "CONTROL_CHARS");
    m.add(entry("wavs/other.wav", 2.0, "x".repeat(1024 * 1024)), "LINE_TOO_LONG");
    m.add("", "BLANK_LINE");
    m.add("   \t ", "BLANK_LINE");
    m.add(entry("wavs/good.wav", 1.0, "Hello, World!"), "DUPLICATE");
    m.add(entry("wavs/copy_of_good.wav", 1.0, "same bytes other name"), "DUPLICATE");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"text\": \"a\", \"text\": \"b\"}",
        "DUPLICATE_KEY");
    m.add(entry("wavs/other.wav", 3.5, "wrong duration"), "DURATION_MISMATCH");
    m.add(entry("wavs/long.wav", null, "far too long"), "TOO_LONG");
    m.add(entry("wavs/tiny.wav", null, "x"), "TOO_SHORT");
    m.add(entry("wavs/other.wav", null, "?!, ..."), "EMPTY_TEXT");
    m.add(entry("wavs/other.wav", null, "caf\u00e9 au lait"), "DISALLOWED_CHARS");
    m.add(entry("wavs/other.wav", null, "a".repeat(200)), "CPS_OUTLIER");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"offset\": 1.5, \"duration\": 1.0, \"text\": \"x\"}",
        "OFFSET_OUT_OF_RANGE");
    m.add(
        "{\"audio_filepath\": \"wavs/other.wav\", \"offset\": 0.5, \"duration\": 1.0, \"text\": \"the middle\"}",
        null);
    Path manifest = m.write(data.resolve("manifest.json"));
    Path out = tmp.resolve("out");

    PrepareResult r = run(options(manifest, out));

    assertThat(rejectReasons(out)).isEqualTo(m.expected);
    assertThat(r.inputLines()).isEqualTo(m.lines.size());
    assertThat(r.accepted()).isEqualTo(5);
    assertThat(r.rejected()).isEqualTo(m.expected.size());
    assertThat(r.accepted() + r.rejected()).isEqualTo(r.inputLines());
    assertThat(jsonLines(out.resolve(PrepareJob.MANIFEST))).hasSize(5);
  }

  @Test
  void rejectsKeepTheOriginalLineItsSourceAndAReadableMessage() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("a.wav"), 1.0, 16000, 1, 440);
    Manifest m = new Manifest();
    m.add(entry("a.wav", 1.0, "fine"), null);
    m.add(entry("nope.wav", 1.0, "gone"), "FILE_NOT_FOUND");
    m.add("{\"audio_filepath\": \"a.wav\", \"duration\": \"abc\", \"text\": \"x\"}", "WRONG_TYPE");
    m.addBytes(new byte[] {'{', (byte) 0xc3, '}'}, "INVALID_UTF8");
    Path manifest = m.write(data.resolve("m.json"));
    Path out = tmp.resolve("out");

    run(options(manifest, out));

    List<JsonNode> rejects = jsonLines(out.resolve(PrepareJob.REJECTS));
    assertThat(rejects).hasSize(3);
    JsonNode missing = rejects.get(0);
    assertThat(missing.get("source").asText()).isEqualTo("file:" + manifest);
    assertThat(missing.get("line_number").asLong()).isEqualTo(2);
    assertThat(missing.get("line").asText()).isEqualTo(entry("nope.wav", 1.0, "gone"));
    assertThat(missing.get("message").asText())
        .isEqualTo("the audio file file:" + data.resolve("nope.wav") + " does not exist");
    assertThat(rejects.get(1).get("message").asText())
        .isEqualTo("duration must be a number, got abc");
    JsonNode utf8 = rejects.get(2);
    assertThat(utf8.get("original_base64").asText()).isEqualTo("e8N9");
    assertThat(utf8.get("message").asText())
        .isEqualTo("the line is not valid UTF-8; its exact bytes are kept in original_base64");
  }

  @Test
  void acceptedManifestHasResolvedPathsNormalisedTextAndProbedDurations() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("wavs/a.wav"), 1.25, 16000, 1, 440);
    TestAudio.sine(data.resolve("wavs/b.wav"), 2.0, 22050, 2, 440);
    Manifest m = new Manifest();
    m.add(
        "{\"audio_filepath\": \"wavs/a.wav\", \"text\": \"  Don't   PANIC!  \", \"speaker\": \"en-us+m3\", \"extra\": {\"k\": [1, 2]}}",
        null);
    m.add(
        "{\"audio_filename\": \"wavs/b.wav\", \"duration\": 2.0, \"normalized_text\": \"Second, line.\"}",
        null);
    Path out = tmp.resolve("out");

    PrepareResult r = run(options(m.write(data.resolve("m.json")), out));

    List<JsonNode> lines = jsonLines(out.resolve(PrepareJob.MANIFEST));
    assertThat(lines).hasSize(2);
    JsonNode a = lines.get(0);
    assertThat(a.get("audio_filepath").asText()).isEqualTo(data.resolve("wavs/a.wav").toString());
    assertThat(a.get("text").asText()).isEqualTo("don't panic");
    assertThat(a.get("duration").asDouble()).isEqualTo(1.25);
    assertThat(a.get("speaker").asText()).isEqualTo("en-us+m3");
    assertThat(a.get("extra").toString()).isEqualTo("{\"k\":[1,2]}");
    JsonNode b = lines.get(1);
    assertThat(b.get("audio_filepath").asText()).isEqualTo(data.resolve("wavs/b.wav").toString());
    assertThat(b.has("audio_filename")).isFalse();
    assertThat(b.get("text").asText()).isEqualTo("second line");
    assertThat(r.acceptedHours()).isEqualTo(Math.round(3.25 / 3600 * 1000) / 1000.0);

    List<Row> parquet =
        spark
            .read()
            .parquet(out.resolve(PrepareJob.ACCEPTED).toString())
            .orderBy("line_number")
            .collectAsList();
    assertThat(parquet).hasSize(2);
    assertThat(parquet.get(1).<Integer>getAs("sample_rate")).isEqualTo(22050);
    assertThat(parquet.get(1).<Integer>getAs("channels")).isEqualTo(2);
    assertThat(parquet.get(0).<String>getAs("original_text")).isEqualTo("  Don't   PANIC!  ");
    assertThat(parquet.get(0).<String>getAs("content_hash")).hasSize(64);
    assertThat(Files.readString(out.resolve(PrepareJob.CONFIG))).isEqualTo("resolved: true\n");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "accepted.parquet",
              "config.yaml",
              "manifest.json",
              "rejects",
              "run_fingerprint.json",
              "stats.json",
              "summary.txt");
    }
  }

  @Test
  void statsCountReasonsHoursHistogramCharactersAndSpeakers() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("a.wav"), 1.5, 16000, 1, 440);
    TestAudio.sine(data.resolve("b.wav"), 3.0, 16000, 1, 300);
    Manifest m = new Manifest();
    m.add("{\"audio_filepath\": \"a.wav\", \"text\": \"ab\", \"speaker\": \"x\"}", null);
    m.add("{\"audio_filepath\": \"b.wav\", \"text\": \"ba b\", \"speaker\": \"y\"}", null);
    m.add("oops", "MALFORMED_JSON");
    m.add("", "BLANK_LINE");
    Path out = tmp.resolve("out");

    run(options(m.write(data.resolve("m.json")), out));

    JsonNode s = JSON.readTree(out.resolve(PrepareJob.STATS).toFile());
    assertThat(s.get("input_lines").asLong()).isEqualTo(4);
    assertThat(s.get("accepted").asLong()).isEqualTo(2);
    assertThat(s.get("rejected").asLong()).isEqualTo(2);
    assertThat(s.get("conservation").asText()).isEqualTo("4 = 2 + 2");
    assertThat(s.get("rejects_by_reason").toString())
        .isEqualTo("{\"BLANK_LINE\":1,\"MALFORMED_JSON\":1}");
    assertThat(s.get("duration").get("total_seconds").asDouble()).isEqualTo(4.5);
    assertThat(s.get("duration").get("histogram").get(1).toString())
        .isEqualTo("{\"from\":1.0,\"to\":2.0,\"count\":1}");
    assertThat(s.get("duration").get("histogram").get(2).toString())
        .isEqualTo("{\"from\":2.0,\"to\":5.0,\"count\":1}");
    assertThat(s.get("characters").toString()).isEqualTo("{\" \":1,\"a\":2,\"b\":3}");
    assertThat(s.get("speakers").get("y").get("utterances").asLong()).isEqualTo(1);
    assertThat(s.get("sample_rates").toString()).isEqualTo("{\"16000\":2}");
    assertThat(s.get("status").asText()).isEqualTo("ok");
    assertThat(Files.readString(out.resolve(PrepareJob.SUMMARY)))
        .contains("4 input lines from 1 manifest(s): 2 accepted")
        .contains("conservation: 4 = 2 + 2");
  }

  @Test
  void lineNumbersStayExactWhenManifestsAreSplitAcrossTasks() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("a.wav"), 1.0, 16000, 1, 440);
    Manifest first = new Manifest();
    Manifest second = new Manifest();
    for (int i = 0; i < 400; i++) {
      first.add(
          i % 37 == 0 ? "broken line " + i : entry("a.wav", 1.0, "line number"),
          i % 37 == 0 ? "MALFORMED_JSON" : null);
      second.add(i % 53 == 0 ? "" : "[" + i + "]", i % 53 == 0 ? "BLANK_LINE" : "NOT_AN_OBJECT");
    }
    Path m1 = first.write(data.resolve("one.json"));
    Path m2 = second.write(data.resolve("two.json"));
    Path out = tmp.resolve("out");
    spark
        .sparkContext()
        .hadoopConfiguration()
        .set("mapreduce.input.fileinputformat.split.maxsize", "2048");
    try {
      PrepareResult r =
          new PrepareJob(spark, Storage.local(), new PrintStream(new ByteArrayOutputStream()))
              .run(
                  PrepareConfig.options(config(List.of(m1, m2), out, "filter.duplicates=none")),
                  "x: 1\n");
      assertThat(r.inputLines()).isEqualTo(800);
      assertThat(r.accepted()).isEqualTo(400 - first.expected.size());
    } finally {
      spark
          .sparkContext()
          .hadoopConfiguration()
          .unset("mapreduce.input.fileinputformat.split.maxsize");
    }
    Map<String, Map<Long, String>> bySource = new TreeMap<>();
    for (JsonNode r : jsonLines(out.resolve(PrepareJob.REJECTS))) {
      bySource
          .computeIfAbsent(r.get("source").asText(), k -> new TreeMap<>())
          .put(r.get("line_number").asLong(), r.get("reason").asText());
      long n = r.get("line_number").asLong();
      if (r.get("source").asText().endsWith("two.json") && !r.get("line").asText().isEmpty()) {
        assertThat(r.get("line").asText()).isEqualTo("[" + (n - 1) + "]");
      }
    }
    assertThat(bySource.get("file:" + m1)).isEqualTo(first.expected);
    assertThat(bySource.get("file:" + m2)).isEqualTo(second.expected);
  }

  @Test
  void tooManyRejectsFailTheJobAfterWritingTheRejects() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("a.wav"), 1.0, 16000, 1, 440);
    Manifest m = new Manifest();
    m.add(entry("a.wav", 1.0, "ok"), null);
    m.add("bad", "MALFORMED_JSON");
    m.add("bad too", "MALFORMED_JSON");
    Path out = tmp.resolve("out");

    assertThatThrownBy(
            () -> run(options(m.write(data.resolve("m.json")), out, "max_reject_fraction=0.5")))
        .isInstanceOf(JobFailedException.class)
        .hasMessage(
            "Cannot accept this input: 66.7% of the lines were rejected (2 of 3), over"
                + " max_reject_fraction = 0.5; see "
                + out.resolve("rejects/rejects.json"));
    assertThat(rejectReasons(out)).hasSize(2);
    assertThat(JSON.readTree(out.resolve(PrepareJob.STATS).toFile()).get("status").asText())
        .isEqualTo("failed");
  }

  @Test
  void anExistingOutputIsKeptUnlessOverwriteIsSet() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("a.wav"), 1.0, 16000, 1, 440);
    Path manifest =
        new Manifest().add(entry("a.wav", 1.0, "ok"), null).write(data.resolve("m.json"));
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "precious");

    assertThatThrownBy(() -> run(options(manifest, out)))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Cannot write to "
                + out
                + ": it exists and is not empty; pass --overwrite (output.overwrite=true) to replace it");
    assertThat(out.resolve("keep.txt")).hasContent("precious");

    PrepareResult r = run(options(manifest, out, "output.overwrite=true"));
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(out.resolve("keep.txt")).doesNotExist();
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("data", "out");
    }
  }

  @Test
  void aMissingManifestIsAUsageError() {
    Path out = tmp.resolve("out");
    assertThatThrownBy(() -> run(options(tmp.resolve("nope.json"), out)))
        .isInstanceOf(UsageException.class)
        .hasMessage("Cannot read manifest " + tmp.resolve("nope.json") + ": no such file");
  }

  @Test
  void removeAndWarnModesKeepRecordsAndSayWhatChanged() throws IOException {
    Path data = tmp.resolve("data");
    TestAudio.sine(data.resolve("a.wav"), 1.0, 16000, 1, 440);
    TestAudio.sine(data.resolve("b.wav"), 2.0, 16000, 1, 440);
    Manifest m = new Manifest();
    m.add(entry("a.wav", 1.5, "bell\u0007 Caf\u00e9"), null);
    m.add(entry("b.wav", 2.0, "b"), null);
    m.add(entry("b.wav", 2.0, "b again"), null);
    Path out = tmp.resolve("out");

    PrepareResult r =
        run(
            options(
                m.write(data.resolve("m.json")),
                out,
                "normalize.control_chars=remove",
                "normalize.disallowed_chars=remove",
                "media.duration_mismatch=warn",
                "filter.duplicates=none"));

    assertThat(r.accepted()).isEqualTo(3);
    assertThat(r.warnings()).isEqualTo(1);
    List<JsonNode> lines = jsonLines(out.resolve(PrepareJob.MANIFEST));
    assertThat(lines.get(0).get("text").asText()).isEqualTo("bell caf");
    assertThat(lines.get(0).get("duration").asDouble()).isEqualTo(1.0);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
