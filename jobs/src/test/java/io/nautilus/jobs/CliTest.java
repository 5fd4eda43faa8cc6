package io.nautilus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @TempDir Path tmp;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryJobAndExitsZero() {
    assertThat(Main.run("--help")).isZero();
    assertThat(stdout())
        .contains("prepare")
        .contains("quickstart")
        .contains("Exit codes: 0 ok, 2 bad usage or config, 1 job failure.");
  }

  @Test
  void prepareHelpListsEveryConfigKeyWithItsDefault() {
    assertThat(Main.run("prepare", "--help")).isZero();
    assertThat(stdout())
        .contains("--config")
        .contains("input.manifests")
        .contains("filter.max_duration")
        .contains("normalize.allowed_chars")
        .contains("spark.conf.*");
  }

  @Test
  void noJobIsAUsageError() {
    assertThat(Main.run(new String[0])).isEqualTo(Main.USAGE);
    assertThat(stderr()).contains("Missing job: name one, e.g. 'prepare'");
  }

  @Test
  void aTypoInAnOverrideExitsWithTwoAndSuggestsTheKey() {
    int code =
        Main.run(
            "prepare",
            "-c",
            REPO.resolve("conf/prepare/asr.yaml").toString(),
            "filter.max_duratoin=10");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(stderr().strip())
        .isEqualTo(
            "nautilus prepare: Cannot load config: unknown key 'filter.max_duratoin' (command-line"
                + " override 'filter.max_duratoin=10'); did you mean 'filter.max_duration'?");
  }

  @Test
  void aMissingMandatoryValueNamesTheKeyAndTheFile() {
    Path conf = REPO.resolve("conf/prepare/asr.yaml");
    assertThat(Main.run("prepare", "-c", conf.toString())).isEqualTo(Main.USAGE);
    assertThat(stderr().strip())
        .isEqualTo(
            "nautilus prepare: Cannot load config: missing mandatory value for key 'input.manifests' ("
                + conf
                + ", line 7); set it in the YAML file or with the override 'input.manifests=...'");
  }

  @Test
  void printConfigShowsTheResolvedValues() {
    int code =
        Main.run(
            "prepare",
            "-c",
            REPO.resolve("conf/prepare/asr.yaml").toString(),
            "--print-config",
            "input.manifests=[a.json]",
            "output.dir=out/x",
            "filter.max_duration=12.5");
    assertThat(code).isZero();
    assertThat(stdout()).contains("max_duration: 12.5").contains("- a.json");
  }

  @Test
  void prepareRunsOnTheShippedSampleAndWritesItsOutputs() throws IOException {
    Path output = tmp.resolve("prepared");
    int code =
        Main.run(
            "prepare",
            "-c",
            REPO.resolve("conf/prepare/asr.yaml").toString(),
            "--master",
            "local[2]",
            "input.manifests=[" + REPO.resolve("data/sample/asr/dev_manifest.json") + "]",
            "output.dir=" + output);
    assertThat(code).as(stderr()).isZero();
    List<String> manifest = Files.readAllLines(output.resolve("manifest.json"));
    assertThat(manifest).hasSize(10);
    assertThat(stdout()).contains("prepare: 10 input lines from 1 manifest(s): 10 accepted");
    assertThat(output.resolve("config.yaml")).content().contains("dir: " + output);
  }

  @Test
  void tooManyRejectsExitWithOne() throws IOException {
    Path manifest = tmp.resolve("m.json");
    Files.writeString(manifest, "not json\n");
    int code =
        Main.run(
            "prepare",
            "-c",
            REPO.resolve("conf/prepare/asr.yaml").toString(),
            "--master",
            "local[1]",
            "input.manifests=[" + manifest + "]",
            "output.dir=" + tmp.resolve("out"));
    assertThat(code).isEqualTo(Main.FAILED);
    assertThat(stderr())
        .contains(
            "nautilus prepare failed: Cannot accept this input: 100.0% of the lines were rejected (1 of 1)");
  }

  @Test
  void verifyTakesHadoopSettingsFromConfAndAPropertiesFile() throws IOException {
    Path set = tmp.resolve("shards");
    Files.createDirectories(set);
    Files.writeString(set.resolve("audio_0.tar"), "half written");
    Path props = tmp.resolve("store.conf");
    Files.writeString(
        props, "spark.master  local[1]\nspark.hadoop.nautilus.commit.protocol  marker\n");

    assertThat(Main.run("verify", "--properties-file", props.toString(), set.toString()))
        .isEqualTo(Main.FAILED);
    assertThat(stdout())
        .contains(
            "no shard set at "
                + set
                + ": files but no commit marker (_NAUTILUS_COMMITTED), so the run that wrote them"
                + " did not finish; run shard again");

    out.reset();
    assertThat(
            Main.run(
                "verify",
                "--properties-file",
                props.toString(),
                "--conf",
                "nautilus.commit.protocol=rename",
                set.toString()))
        .isEqualTo(Main.FAILED);
    assertThat(stdout())
        .contains("shard_index.json is missing: the shard set was never committed")
        .doesNotContain("commit marker");
  }

  @Test
  void verifyNamesAPropertiesFileItCannotRead() {
    Path missing = tmp.resolve("none.conf");
    assertThat(Main.run("verify", "--properties-file", missing.toString(), tmp.toString()))
        .isEqualTo(Main.USAGE);
    assertThat(stderr())
        .contains("nautilus verify: Cannot read properties file " + missing + ": " + missing);
  }

  @Test
  void trainHelpListsTheTrainerExpManagerAndModelKeys() {
    assertThat(Main.run("train", "--help")).isZero();
    assertThat(stdout())
        .contains("trainer.max_steps")
        .contains("trainer.max_restarts")
        .contains("exp_manager.resume_if_exists")
        .contains("exp_manager.checkpoint_callback_params.save_top_k")
        .contains("model.train_ds.shard_strategy")
        .contains("model.optim.sched.name");
  }

  @Test
  void evaluateHelpListsItsKeys() {
    assertThat(Main.run("evaluate", "--help")).isZero();
    assertThat(stdout())
        .contains("input.manifests")
        .contains("input.shards")
        .contains("model.checkpoint")
        .contains("model.use_ema")
        .contains("batch.size")
        .contains("text_processing.rm_punctuation")
        .contains("output.dir");
  }

  @Test
  void evaluateRefusesManifestsAndShardsTogetherBeforeAnySparkWork() {
    int code =
        Main.run(
            "evaluate",
            "-c",
            REPO.resolve("conf/evaluate/asr.yaml").toString(),
            "model.checkpoint=x.ckpt",
            "input.manifests=[a.json]",
            "input.shards=[s]",
            "output.dir=" + tmp.resolve("eval"));
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(stderr())
        .isEqualTo(
            "nautilus evaluate: Cannot load config: set exactly one of input.manifests and"
                + " input.shards, got 1 manifest(s) and 1 shard folder(s)\n");
  }

  @Test
  void transcribeWithoutACheckpointIsAUsageError() {
    Path missing = tmp.resolve("no-experiment");
    assertThat(Main.run("transcribe", "-m", missing.toString(), "a.wav")).isEqualTo(Main.USAGE);
    assertThat(stderr())
        .isEqualTo(
            "nautilus transcribe: Cannot find a checkpoint at "
                + missing
                + ": give a .ckpt file or an experiment folder\n");
  }

  @Test
  void trainRefusesABatchThatDoesNotSplitOverTheRanksBeforeAnySparkWork() {
    int code =
        Main.run(
            "train",
            "-c",
            REPO.resolve("conf/train/char_lm.yaml").toString(),
            "model.micro_batch_size=4",
            "model.global_batch_size=12");
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(stderr())
        .contains(
            "nautilus train: Cannot load config: model.global_batch_size 12 must be a positive"
                + " multiple of model.micro_batch_size x W = 4 x 2");
  }

  @Test
  void trainHasNoOverwriteFlag() {
    assertThat(Main.run("train", "--overwrite")).isEqualTo(Main.USAGE);
    assertThat(stderr()).contains("Cannot use --overwrite with train");
  }

  @Test
  void trainPrintsTheResolvedConfigWithTheExperimentNameInterpolated() {
    assertThat(
            Main.run(
                "train",
                "-c",
                REPO.resolve("conf/train/char_lm.yaml").toString(),
                "name=demo",
                "--print-config"))
        .isZero();
    // The top-level name and exp_manager.name: ${name}.
    assertThat(stdout().split("name: demo", -1)).hasSize(3);
  }

  @Test
  void incrementalAndAppendFlagsSetTheirConfigKeysAndAreInTheHelp() {
    assertThat(
            Main.run(
                "prepare",
                "--incremental",
                "--print-config",
                "input.manifests=[a.json]",
                "output.dir=out/x"))
        .isZero();
    assertThat(stdout()).contains("incremental: true");
    out.reset();
    assertThat(
            Main.run(
                "shard",
                "--append",
                "--print-config",
                "input.prepared=[out/x]",
                "output.dir=out/s"))
        .isZero();
    assertThat(stdout()).contains("append: true");
    out.reset();
    assertThat(Main.run("prepare", "--help")).isZero();
    assertThat(stdout()).contains("--incremental").contains("output.incremental");
    out.reset();
    assertThat(Main.run("shard", "--help")).isZero();
    assertThat(stdout()).contains("--append").contains("metadata_version_{v}.yaml");
  }

  @Test
  void aRepeatedPrepareSaysNothingToDoAndAChangedOneNeedsOverwrite() throws IOException {
    Path output = tmp.resolve("prepared");
    String[] args = {
      "prepare",
      "-c",
      REPO.resolve("conf/prepare/asr.yaml").toString(),
      "--master",
      "local[1]",
      "input.manifests=[" + REPO.resolve("data/sample/asr/dev_manifest.json") + "]",
      "output.dir=" + output
    };
    assertThat(Main.run(args)).as(stderr()).isZero();
    String stats = Files.readString(output.resolve("stats.json"));
    out.reset();

    assertThat(Main.run(args)).as(stderr()).isZero();
    assertThat(stdout())
        .isEqualTo(
            "Nothing to do: "
                + output
                + " already holds the committed result of this run (the same 1 manifest(s),"
                + " unchanged, and the same config); pass --overwrite to run it again\n");
    assertThat(output.resolve("stats.json")).hasContent(stats);

    List<String> changed = new java.util.ArrayList<>(List.of(args));
    changed.add("filter.max_duration=5");
    assertThat(Main.run(changed.toArray(String[]::new))).isEqualTo(Main.USAGE);
    assertThat(stderr().strip())
        .isEqualTo(
            "nautilus prepare: Cannot write to "
                + output
                + ": it holds the result of a different run (filter.max_duration: 20.0 -> 5.0);"
                + " pass --overwrite (output.overwrite=true) to replace it");
  }
}
