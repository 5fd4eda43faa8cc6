package io.nautilus.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the sample data committed under data/sample, so CI guards it without espeak-ng or the
 * fortunes packages that scripts/make_sample_data.py needs to regenerate it.
 */
class ShippedSampleTest {
  private static final Set<String> RESERVED_VOICES =
      Set.of("en-gb-scotland", "en-029", "en-us-nyc");
  private static final Set<String> RESERVED_VARIANTS = Set.of("m7", "f4", "f5");
  private static final List<String> ASR_SPLITS = List.of("train", "dev", "test");
  private static final List<String> SFT_SPLITS = List.of("train", "val", "test");
  private static final long MAX_DATA_BYTES = 10_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path dataDir;
  private static Path sampleDir;

  @BeforeAll
  static void findData() {
    // Surefire runs in the module folder, an IDE may run in the repository root.
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data/sample/asr"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent of the working directory holding data/sample/asr").isNotNull();
    dataDir = dir.resolve("data");
    sampleDir = dataDir.resolve("sample");
  }

  @Test
  void everyManifestAudioFileIsA22050HzMono16BitWaveNextToTheManifest() throws IOException {
    for (String split : ASR_SPLITS) {
      Path manifest = asrManifest(split);
      for (JsonNode line : readJsonLines(manifest)) {
        String relative = line.get("audio_filepath").asText();
        assertThat(Path.of(relative).isAbsolute()).as(relative).isFalse();
        Path audio = manifest.getParent().resolve(relative);
        assertThat(audio).as(manifest + " line " + line).isRegularFile();
        WaveHeader header = WaveHeader.read(audio);
        assertThat(header.sampleRate()).as(relative).isEqualTo(22050);
        assertThat(header.channels()).as(relative).isEqualTo(1);
        assertThat(header.bitsPerSample()).as(relative).isEqualTo(16);
      }
    }
  }

  @Test
  void manifestDurationsMatchTheWaveHeaders() throws IOException {
    for (String split : ASR_SPLITS) {
      Path manifest = asrManifest(split);
      for (JsonNode line : readJsonLines(manifest)) {
        Path audio = manifest.getParent().resolve(line.get("audio_filepath").asText());
        assertThat(line.get("duration").asDouble())
            .as(audio.toString())
            .isCloseTo(WaveHeader.read(audio).seconds(), within(0.01));
      }
    }
  }

  @Test
  void noManifestLineUsesAReservedVoiceOrVariant() throws IOException {
    Set<String> speakers = new HashSet<>();
    for (String split : ASR_SPLITS) {
      for (JsonNode line : readJsonLines(asrManifest(split))) {
        speakers.add(line.get("speaker").asText());
      }
    }
    for (String speaker : speakers) {
      String[] parts = speaker.split("\\+", -1);
      assertThat(RESERVED_VOICES).as(speaker).doesNotContain(parts[0]);
      if (parts.length > 1) {
        assertThat(RESERVED_VARIANTS).as(speaker).doesNotContain(parts[1]);
      }
    }
    // Several speakers must be present, or the check above proves little.
    assertThat(speakers).hasSizeGreaterThan(10);
  }

  @Test
  void trainDevAndTestTextsAreDisjoint() throws IOException {
    Map<String, Set<String>> texts = new TreeMap<>();
    for (String split : ASR_SPLITS) {
      texts.put(split, fieldValues(asrManifest(split), "text"));
      assertThat(texts.get(split)).as(split).isNotEmpty();
    }
    assertThat(texts.get("train")).doesNotContainAnyElementsOf(texts.get("dev"));
    assertThat(texts.get("train")).doesNotContainAnyElementsOf(texts.get("test"));
    assertThat(texts.get("dev")).doesNotContainAnyElementsOf(texts.get("test"));
  }

  @Test
  void sftSplitsAreTopicBalancedAndDisjoint() throws IOException {
    Map<String, Set<String>> contexts = new TreeMap<>();
    for (String split : SFT_SPLITS) {
      Path file = sampleDir.resolve("sft").resolve(split + ".jsonl");
      List<JsonNode> records = readJsonLines(file);
      Map<String, Integer> perTopic = new TreeMap<>();
      for (JsonNode record : records) {
        assertThat(record.get("taskname").asText()).isEqualTo("fortune_topic");
        perTopic.merge(record.get("answer").asText(), 1, Integer::sum);
      }
      assertThat(perTopic).as(split).hasSizeGreaterThanOrEqualTo(4);
      assertThat(new HashSet<>(perTopic.values())).as(split + " " + perTopic).hasSize(1);
      contexts.put(split, fieldValues(file, "context"));
      assertThat(contexts.get(split)).as(split + " has duplicate texts").hasSize(records.size());
    }
    assertThat(contexts.get("train")).doesNotContainAnyElementsOf(contexts.get("val"));
    assertThat(contexts.get("train")).doesNotContainAnyElementsOf(contexts.get("test"));
    assertThat(contexts.get("val")).doesNotContainAnyElementsOf(contexts.get("test"));
  }

  @Test
  void imageManifestSizesMatchTheImageFiles() throws IOException {
    Path manifest = sampleDir.resolve("image_text/manifest.jsonl");
    Set<String> formats = new HashSet<>();
    Set<String> sizes = new HashSet<>();
    for (JsonNode record : readJsonLines(manifest)) {
      String relative = record.get("image_filepath").asText();
      BufferedImage image = ImageIO.read(manifest.getParent().resolve(relative).toFile());
      assertThat(image).as(relative + " decodes").isNotNull();
      assertThat(image.getWidth()).as(relative).isEqualTo(record.get("width").asInt());
      assertThat(image.getHeight()).as(relative).isEqualTo(record.get("height").asInt());
      assertThat(record.get("caption").asText()).as(relative).isNotBlank();
      formats.add(relative.substring(relative.lastIndexOf('.') + 1));
      sizes.add(image.getWidth() + "x" + image.getHeight());
    }
    assertThat(formats).containsExactlyInAnyOrder("png", "jpg");
    assertThat(sizes).hasSizeGreaterThan(3);
  }

  @Test
  void everythingUnderDataFitsInTenMegabytes() throws IOException {
    long total;
    try (Stream<Path> files = Files.walk(dataDir)) {
      total = files.filter(Files::isRegularFile).mapToLong(ShippedSampleTest::size).sum();
    }
    assertThat(total).isPositive().isLessThanOrEqualTo(MAX_DATA_BYTES);
  }

  private static Path asrManifest(String split) {
    return sampleDir.resolve("asr").resolve(split + "_manifest.json");
  }

  private static Set<String> fieldValues(Path jsonLines, String field) throws IOException {
    Set<String> values = new HashSet<>();
    for (JsonNode line : readJsonLines(jsonLines)) {
      values.add(line.get(field).asText());
    }
    return values;
  }

  private static List<JsonNode> readJsonLines(Path file) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    assertThat(lines).as(file + " has records").isNotEmpty();
    return lines;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fields of a RIFF/WAVE header that the sample promises, found by walking its chunks. */
  private record WaveHeader(int channels, int sampleRate, int bitsPerSample, long dataBytes) {
    double seconds() {
      return (double) dataBytes / (sampleRate * channels * (bitsPerSample / 8));
    }

    static WaveHeader read(Path file) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(fourCc(bytes, 0)).as(file + " RIFF tag").isEqualTo("RIFF");
      assertThat(fourCc(bytes, 8)).as(file + " WAVE tag").isEqualTo("WAVE");
      int channels = -1;
      int sampleRate = -1;
      int bitsPerSample = -1;
      long dataBytes = -1;
      int at = 12;
      while (at + 8 <= bytes.limit()) {
        String id = fourCc(bytes, at);
        long length = Integer.toUnsignedLong(bytes.getInt(at + 4));
        if (id.equals("fmt ")) {
          assertThat(bytes.getShort(at + 8))
              .as(file + " format tag (1 = PCM)")
              .isEqualTo((short) 1);
          channels = bytes.getShort(at + 10);
          sampleRate = bytes.getInt(at + 12);
          bitsPerSample = bytes.getShort(at + 22);
        } else if (id.equals("data")) {
          dataBytes = length;
          assertThat(at + 8 + length)
              .as(file + " data chunk fits the file")
              .isLessThanOrEqualTo(bytes.limit());
        }
        // RIFF pads odd-sized chunks to an even length.
        at += 8 + (int) length + (int) (length & 1);
      }
      assertThat(sampleRate).as(file + " has a fmt chunk").isPositive();
      assertThat(dataBytes).as(file + " has a data chunk").isNotNegative();
      return new WaveHeader(channels, sampleRate, bitsPerSample, dataBytes);
    }

    private static String fourCc(ByteBuffer bytes, int at) {
      byte[] tag = new byte[4];
      bytes.get(at, tag);
      return new String(tag, StandardCharsets.US_ASCII);
    }
  }
}
