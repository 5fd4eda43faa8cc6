package io.nautilus.asr.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.shard.job.ShardConfig;
import io.nautilus.shard.job.ShardJob;
import io.nautilus.train.TrainConfig;
import io.nautilus.train.TrainJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate and transcribe with a real model: the shipped conv CTC config trained for two steps on
 * the sample's test utterances (quality is irrelevant here), then scored over manifests and over
 * the NeMo tarred shards of the same utterances.
 */
class EvaluateJobTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path SAMPLE = REPO.resolve("data/sample/asr");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @TempDir static Path tmp;
  private static SparkSession spark;
  private static Storage storage;
  private static Path prepared;
  private static Path shards;
  private static String experiment;

  @BeforeAll
  static void trainATinyModel() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("evaluate-test")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    storage = Storage.of(spark.sparkContext().hadoopConfiguration());
    prepared = tmp.resolve("prepared");
    Config p =
        ConfigLoader.load(
            PrepareConfig.SCHEMA,
            REPO.resolve("conf/prepare/asr.yaml"),
            List.of(
                "input.manifests=[" + SAMPLE.resolve("test_manifest.json") + "]",
                "output.dir=" + prepared,
                "spark.partitions=2"));
    new PrepareJob(spark, storage, QUIET).run(PrepareConfig.options(p), p.toYaml());
    shards = tmp.resolve("shards");
    Config s =
        ConfigLoader.load(
            ShardConfig.SCHEMA,
            REPO.resolve("conf/shard/asr.yaml"),
            List.of(
                "input.prepared=[" + prepared + "]",
                "output.dir=" + shards,
                "shard.num_shards=1",
                "spark.partitions=2"));
    new ShardJob(spark, storage, QUIET).run(ShardConfig.options(s), s.toYaml());
    Config t =
        ConfigLoader.load(
            TrainConfig.SCHEMA,
            REPO.resolve("conf/asr/conv_ctc_small.yaml"),
            List.of(
                "trainer.devices=1",
                "trainer.max_steps=2",
                "trainer.log_every_n_steps=1",
                "model.micro_batch_size=2",
                "model.global_batch_size=2",
                "model.train_ds.shards=[" + shards + "]",
                "model.train_ds.shuffle_n=0",
                "model.validation_ds.shards=[]",
                "model.optim.sched.name=null",
                "exp_manager.exp_dir=" + tmp.resolve("exp"),
                "exp_manager.create_tensorboard_logger=false",
                "exp_manager.checkpoint_callback_params.monitor=train_loss"));
    try {
      experiment = TrainJob.run(spark, storage, TrainConfig.options(t), "test", QUIET).versionDir();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static EvaluateResult evaluate(String output, String... overrides) {
    List<String> all = new ArrayList<>(List.of("model.checkpoint=" + experiment));
    all.add("output.dir=" + tmp.resolve(output));
    all.addAll(List.of(overrides));
    Config c =
        ConfigLoader.load(EvaluateConfig.SCHEMA, REPO.resolve("conf/evaluate/asr.yaml"), all);
    return new EvaluateJob(spark, storage, QUIET).run(EvaluateConfig.options(c), c.toYaml());
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  /** The sample's utterance id: shard members are named after the relative path (wavs_...). */
  private static String utterance(JsonNode entry) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("test_\\d+").matcher(entry.get("audio_filepath").asText());
    assertThat(m.find()).isTrue();
    return m.group();
  }

  @Test
  void everyManifestLineIsPredictedAndWerIsTheSumOfWordErrorsOverReferenceWords()
      throws IOException {
    EvaluateResult r =
        evaluate(
            "manifest",
            "input.manifests=[" + SAMPLE.resolve("test_manifest.json") + "]",
            "batch.size=4",
            "spark.partitions=2");

    List<JsonNode> predictions = lines(tmp.resolve("manifest").resolve(EvaluateJob.PREDICTIONS));
    List<JsonNode> input = lines(SAMPLE.resolve("test_manifest.json"));
    assertThat(predictions).hasSize(10);
    assertThat(predictions.stream().map(e -> e.get("audio_filepath").asText()))
        .containsExactlyInAnyOrderElementsOf(
            input.stream().map(e -> e.get("audio_filepath").asText()).toList());
    long wordErrors = 0;
    long refWords = 0;
    long charErrors = 0;
    long refChars = 0;
    for (JsonNode p : predictions) {
      assertThat(p.has("pred_text")).isTrue();
      assertThat(p.get("text").asText()).isNotBlank();
      wordErrors += p.get("word_errors").asLong();
      refWords += p.get("ref_words").asLong();
      charErrors += p.get("char_errors").asLong();
      refChars += p.get("ref_chars").asLong();
    }
    JsonNode metrics = JSON.readTree(tmp.resolve("manifest").resolve(EvaluateJob.METRICS).toFile());
    assertThat(metrics.get("utterances").asLong()).isEqualTo(10);
    assertThat(metrics.get("rejected").asLong()).isZero();
    assertThat(metrics.get("reference_words").asLong()).isEqualTo(refWords).isGreaterThan(0);
    assertThat(metrics.get("wer").asDouble())
        .isCloseTo((double) wordErrors / refWords, within(1e-12));
    assertThat(metrics.get("cer").asDouble())
        .isCloseTo((double) charErrors / refChars, within(1e-12));
    assertThat(
            metrics.get("substitutions").asLong()
                + metrics.get("insertions").asLong()
                + metrics.get("deletions").asLong())
        .isEqualTo(wordErrors);
    double audio = input.stream().mapToDouble(e -> e.get("duration").asDouble()).sum();
    assertThat(metrics.get("audio_seconds").asDouble()).isCloseTo(audio, within(0.05));
    assertThat(metrics.get("rtfx").asDouble())
        .isGreaterThan(0)
        .isCloseTo(
            metrics.get("audio_seconds").asDouble() / metrics.get("inference_seconds").asDouble(),
            within(1e-6));
    assertThat(metrics.get("checkpoint").asText()).endsWith("-last.ckpt");
    assertThat(r.wer()).isEqualTo(metrics.get("wer").asDouble());
    assertThat(tmp.resolve("manifest").resolve(EvaluateJob.CONFIG)).exists();
    assertThat(Files.readString(tmp.resolve("manifest").resolve(EvaluateJob.REJECTS))).isEmpty();
  }

  @Test
  void aMissingAudioFileAndTextOutsideTheLabelsAreRejectedWithTheirReasons() throws IOException {
    List<String> manifest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      manifest.add(
          "{\"audio_filepath\": \""
              + SAMPLE.resolve("wavs/test_00000" + i + ".wav")
              + "\", \"duration\": 1.2, \"text\": \"a test\"}");
    }
    manifest.add(
        "{\"audio_filepath\": \"wavs/gone.wav\", \"duration\": 1.0, \"text\": \"missing\"}");
    manifest.add(
        "{\"audio_filepath\": \""
            + SAMPLE.resolve("wavs/test_000004.wav")
            + "\", \"duration\": 1.0, \"text\": \"route 66\"}");
    Path file = tmp.resolve("bad_manifest.json");
    Files.write(file, manifest);

    EvaluateResult r = evaluate("bad", "input.manifests=[" + file + "]");

    assertThat(r.inputLines()).isEqualTo(5);
    assertThat(r.utterances()).isEqualTo(3);
    assertThat(r.rejectsByReason())
        .isEqualTo(Map.of("UNREADABLE_AUDIO", 1L, "UNSUPPORTED_TEXT", 1L));
    List<JsonNode> rejects = lines(tmp.resolve("bad").resolve(EvaluateJob.REJECTS));
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(0).get("line_number").asLong()).isEqualTo(4);
    assertThat(rejects.get(0).get("reason").asText()).isEqualTo("UNREADABLE_AUDIO");
    assertThat(rejects.get(0).get("message").asText()).contains("gone.wav");
    assertThat(rejects.get(1).get("line_number").asLong()).isEqualTo(5);
    assertThat(rejects.get(1).get("reason").asText()).isEqualTo("UNSUPPORTED_TEXT");
    assertThat(rejects.get(1).get("message").asText())
        .startsWith("character '6' (U+0036) is not in the labels");
    assertThat(rejects.get(1).get("line").asText()).isEqualTo(manifest.get(4));
    assertThat(lines(tmp.resolve("bad").resolve(EvaluateJob.PREDICTIONS))).hasSize(3);
  }

  @Test
  void tarredShardsGiveTheSamePredictionsAsTheirManifest() throws IOException {
    // One task and one batch each way, so both runs compute the very same batch.
    evaluate(
        "from_manifest",
        "input.manifests=[" + prepared.resolve(PrepareJob.MANIFEST) + "]",
        "spark.partitions=1");
    EvaluateResult fromShards =
        evaluate("from_shards", "input.shards=[" + shards + "]", "spark.partitions=1");

    Map<String, String> manifest = new TreeMap<>();
    for (JsonNode p : lines(tmp.resolve("from_manifest").resolve(EvaluateJob.PREDICTIONS))) {
      manifest.put(utterance(p), p.get("pred_text").asText());
    }
    Map<String, String> sharded = new TreeMap<>();
    for (JsonNode p : lines(tmp.resolve("from_shards").resolve(EvaluateJob.PREDICTIONS))) {
      sharded.put(utterance(p), p.get("pred_text").asText());
    }
    assertThat(fromShards.utterances()).isEqualTo(10);
    assertThat(sharded).hasSize(10).isEqualTo(manifest);
  }

  @Test
  void transcribePrintsEachFileAndReportsTheUnreadableOneWithoutStopping() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("audio"));
    Files.copy(SAMPLE.resolve("wavs/test_000000.wav"), folder.resolve("a.wav"));
    Files.copy(SAMPLE.resolve("wavs/test_000001.wav"), folder.resolve("b.wav"));
    Files.writeString(folder.resolve("notes.txt"), "not audio");
    Path broken = Files.writeString(tmp.resolve("broken.wav"), "this is not a wav file");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int failed;
    try (Transcriber t = Transcriber.load(storage, experiment, Device.cpu(), false)) {
      List<Path> files = Transcriber.expand(List.of(folder, broken));
      assertThat(files).containsExactly(folder.resolve("a.wav"), folder.resolve("b.wav"), broken);
      failed =
          t.transcribeAll(
              files,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    assertThat(failed).isEqualTo(1);
    List<String> printed = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(printed).hasSize(2);
    assertThat(printed.get(0)).startsWith(folder.resolve("a.wav") + "\t");
    assertThat(printed.get(1)).startsWith(folder.resolve("b.wav") + "\t");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("Cannot read audio " + broken + ": ");
  }
}
