package io.nautilus.train.ckpt;

import io.nautilus.train.ckpt.CheckpointManager.Loaded;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * NeMo's resume rules ({@code exp_manager.resume_*}).
 *
 * <ul>
 *   <li>{@code resume_from_checkpoint}, when set, is loaded whatever the other settings say; a
 *       missing or corrupt file is an error, never a silent fresh start.
 *   <li>Otherwise, with {@code resume_if_exists}, an end marker stops the run unless {@code
 *       resume_past_end}; then the newest loadable checkpoint is used. Finding none is an error
 *       unless {@code resume_ignore_no_checkpoint}, which trains from scratch with a warning.
 * </ul>
 *
 * <p>Two deliberate departures from NeMo, which looks only at {@code *last.ckpt} and fails on two
 * of them: a corrupt last checkpoint falls back to the newest good one (last or top-k), and two
 * last files (a crash between writing one and deleting the other) resolve to the newer.
 */
public record ResumePolicy(
    boolean resumeIfExists,
    boolean resumeIgnoreNoCheckpoint,
    String resumeFromCheckpoint,
    boolean resumePastEnd) {

  /** NeMo's defaults: no resume. */
  public static ResumePolicy none() {
    return new ResumePolicy(false, false, null, false);
  }

  /**
   * The checkpoint to resume from, or empty to train from scratch.
   *
   * @throws IllegalStateException when the settings forbid going on, saying which to change
   */
  public Optional<Loaded> resolve(CheckpointManager m) throws IOException {
    if (resumeFromCheckpoint != null && !resumeFromCheckpoint.isBlank()) {
      Path path = m.storage().qualify(resumeFromCheckpoint);
      try {
        return Optional.of(new Loaded(path, CheckpointIO.read(m.storage(), path)));
      } catch (CorruptCheckpointException e) {
        throw cannotLoad(path, e.reason(), e);
      } catch (FileNotFoundException e) {
        throw cannotLoad(path, "it does not exist", e);
      }
    }
    if (!resumeIfExists) {
      return Optional.empty();
    }
    Optional<Path> end = m.endMarker();
    if (end.isPresent() && !resumePastEnd) {
      throw new IllegalStateException(
          "Cannot resume: "
              + end.get()
              + " says the run has already finished; set exp_manager.resume_past_end=true to"
              + " train on from its last checkpoint, or start a new experiment version");
    }
    Optional<Loaded> latest = m.latest();
    if (latest.isPresent()) {
      return latest;
    }
    if (!resumeIgnoreNoCheckpoint) {
      throw new IllegalStateException(
          "Cannot resume: exp_manager.resume_if_exists=true but "
              + m.dir()
              + " holds no loadable checkpoint; set exp_manager.resume_ignore_no_checkpoint=true"
              + " to train from scratch");
    }
    m.warn(
        "No checkpoint to resume from in "
            + m.dir()
            + "; training from scratch (exp_manager.resume_ignore_no_checkpoint=true)");
    return Optional.empty();
  }

  private static IllegalStateException cannotLoad(Path path, String reason, Exception cause) {
    return new IllegalStateException(
        "Cannot resume: exp_manager.resume_from_checkpoint="
            + path
            + " cannot be loaded: "
            + reason,
        cause);
  }
}
