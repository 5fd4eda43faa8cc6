package io.nautilus.train.ckpt;

import static io.nautilus.train.ckpt.Checkpoints.atStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.io.Storage;
import io.nautilus.train.ckpt.CheckpointManager.Loaded;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePolicyTest {
  private static final Storage STORAGE = Storage.local();
  private static final ResumePolicy IF_EXISTS = new ResumePolicy(true, false, null, false);

  @TempDir java.nio.file.Path tmp;

  private CheckpointManager manager() throws IOException {
    return new CheckpointManager(
        STORAGE,
        STORAGE.qualify(tmp.resolve("checkpoints").toString()),
        CheckpointPolicy.nemoDefaults("exp"));
  }

  private static void truncate(Path p) throws IOException {
    java.nio.file.Path f = java.nio.file.Path.of(p.toUri());
    Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 40));
  }

  @Test
  void withoutResumeSettingsARunStartsFresh() throws IOException {
    CheckpointManager m = manager();
    m.saveLast(atStep(3), 3, 0, null);

    assertThat(ResumePolicy.none().resolve(m)).isEmpty();
  }

  @Test
  void resumeIfExistsTakesTheLatestCheckpoint() throws IOException {
    CheckpointManager m = manager();
    m.saveTopK(atStep(2), 2, 0, 0.3);
    Path last = m.saveLast(atStep(4), 4, 0, 0.6);

    Loaded loaded = IF_EXISTS.resolve(m).orElseThrow();

    assertThat(loaded.path()).isEqualTo(last);
    Checkpoints.assertSame(loaded.checkpoint(), atStep(4));
  }

  @Test
  void resumeIfExistsWithNothingToResumeFromFailsAndSaysWhichSettingToChange() throws IOException {
    CheckpointManager m = manager();

    assertThatThrownBy(() -> IF_EXISTS.resolve(m))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot resume: exp_manager.resume_if_exists=true but "
                + m.dir()
                + " holds no loadable checkpoint; set exp_manager.resume_ignore_no_checkpoint=true"
                + " to train from scratch");
  }

  @Test
  void onlyCorruptCheckpointsCountAsNoneAndEachIsReported() throws IOException {
    CheckpointManager m = manager();
    Path last = m.saveLast(atStep(4), 4, 0, null);
    truncate(last);

    assertThatThrownBy(() -> IF_EXISTS.resolve(m))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds no loadable checkpoint");
    assertThat(m.warnings()).hasSize(1);
    assertThat(m.warnings().get(0))
        .startsWith("Skipping checkpoint " + last + ": it is truncated: 40 bytes of ");
  }

  @Test
  void ignoringNoCheckpointTrainsFromScratchWithAWarning() throws IOException {
    CheckpointManager m = manager();

    Optional<Loaded> resumed = new ResumePolicy(true, true, null, false).resolve(m);

    assertThat(resumed).isEmpty();
    assertThat(m.warnings())
        .containsExactly(
            "No checkpoint to resume from in "
                + m.dir()
                + "; training from scratch (exp_manager.resume_ignore_no_checkpoint=true)");
  }

  @Test
  void aFinishedRunIsNotResumedUnlessPastEndIsAllowed() throws IOException {
    CheckpointManager m = manager();
    Path last = m.saveLast(atStep(9), 9, 0, null);
    Path end = m.markEnd(9);

    assertThatThrownBy(() -> IF_EXISTS.resolve(m))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot resume: "
                + end
                + " says the run has already finished; set exp_manager.resume_past_end=true to"
                + " train on from its last checkpoint, or start a new experiment version");
    assertThat(new ResumePolicy(true, false, null, true).resolve(m).orElseThrow().path())
        .isEqualTo(last);
  }

  @Test
  void resumeFromCheckpointLoadsThatFileWhateverElseIsSet() throws IOException {
    CheckpointManager m = manager();
    Path chosen = m.saveTopK(atStep(2), 2, 0, 0.3).orElseThrow();
    m.saveLast(atStep(4), 4, 0, null);
    m.markEnd(4);
    String location = java.nio.file.Path.of(chosen.toUri()).toString();

    Loaded loaded = new ResumePolicy(false, false, location, false).resolve(m).orElseThrow();

    assertThat(loaded.path()).isEqualTo(chosen);
    Checkpoints.assertSame(loaded.checkpoint(), atStep(2));
  }

  @Test
  void aCorruptOrMissingResumeFromCheckpointIsAnErrorNotAFreshStart() throws IOException {
    CheckpointManager m = manager();
    Path chosen = m.saveLast(atStep(4), 4, 0, null);
    truncate(chosen);
    ResumePolicy policy = new ResumePolicy(true, true, chosen.toString(), false);

    assertThatThrownBy(() -> policy.resolve(m))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot resume: exp_manager.resume_from_checkpoint="
                + chosen
                + " cannot be loaded: it is truncated: 40 bytes of ")
        .hasCauseInstanceOf(CorruptCheckpointException.class);

    Path absent = new Path(m.dir(), "absent.ckpt");
    assertThatThrownBy(() -> new ResumePolicy(true, true, absent.toString(), false).resolve(m))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot resume: exp_manager.resume_from_checkpoint="
                + absent
                + " cannot be loaded: it does not exist");
  }
}
