package io.nautilus.train.ckpt;

import static io.nautilus.train.ckpt.Checkpoints.atStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.io.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManagerTest {
  private static final Storage STORAGE = Storage.local();

  @TempDir java.nio.file.Path tmp;

  private Path dir() {
    return STORAGE.qualify(tmp.resolve("checkpoints").toString());
  }

  private CheckpointManager manager(String mode, int k) throws IOException {
    return new CheckpointManager(
        STORAGE, dir(), new CheckpointPolicy("val_loss", mode, k, true, "exp"));
  }

  private List<String> files() throws IOException {
    java.nio.file.Path d = tmp.resolve("checkpoints");
    if (!Files.exists(d)) {
      return List.of();
    }
    try (Stream<java.nio.file.Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> names(List<Path> paths) {
    return paths.stream().map(Path::getName).toList();
  }

  private static String topK(double value, long step) {
    return String.format(
        java.util.Locale.ROOT, "exp--val_loss=%.4f-epoch=0-step=%d.ckpt", value, step);
  }

  /** Saves steps 1.. with these values; returns which were saved. */
  private static List<Boolean> save(CheckpointManager m, double... values) throws IOException {
    Boolean[] saved = new Boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      saved[i] = m.saveTopK(atStep(i + 1), i + 1, 0, values[i]).isPresent();
    }
    return Arrays.asList(saved);
  }

  @Test
  void minKeepsTheThreeSmallestAndEvictsTheWorst() throws IOException {
    CheckpointManager m = manager("min", 3);

    assertThat(save(m, 0.5, 0.4, 0.6, 0.3, 0.45, 0.9))
        .containsExactly(true, true, true, true, true, false);

    assertThat(names(m.topK())).containsExactly(topK(0.3, 4), topK(0.4, 2), topK(0.45, 5));
    assertThat(files()).containsExactly(topK(0.3, 4), topK(0.4, 2), topK(0.45, 5));
    assertThat(m.best()).contains(new Path(dir(), topK(0.3, 4)));
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void maxKeepsTheThreeLargest() throws IOException {
    CheckpointManager m = manager("max", 3);

    assertThat(save(m, 0.5, 0.4, 0.6, 0.3, 0.45, 0.7))
        .containsExactly(true, true, true, false, true, true);

    assertThat(names(m.topK())).containsExactly(topK(0.7, 6), topK(0.6, 3), topK(0.5, 1));
    assertThat(files()).containsExactly(topK(0.5, 1), topK(0.6, 3), topK(0.7, 6));
  }

  @Test
  void aTieKeepsTheNewerCheckpoint() throws IOException {
    CheckpointManager m = manager("min", 2);

    // 0.50001 shows as 0.5000 in its name, which is the value that ranks.
    assertThat(save(m, 0.5, 0.5, 0.50001, 0.7)).containsExactly(true, true, true, false);

    assertThat(names(m.topK())).containsExactly(topK(0.5, 3), topK(0.5, 2));
    assertThat(files()).containsExactly(topK(0.5, 2), topK(0.5, 3));
    assertThat(m.best()).contains(new Path(dir(), topK(0.5, 3)));
  }

  @Test
  void saveTopKOneKeepsOnlyTheBest() throws IOException {
    CheckpointManager m = manager("min", 1);

    assertThat(save(m, 0.5, 0.6, 0.2, 0.3)).containsExactly(true, false, true, false);

    assertThat(files()).containsExactly(topK(0.2, 3));
  }

  @Test
  void saveTopKMinusOneKeepsEveryCheckpoint() throws IOException {
    CheckpointManager m = manager("min", -1);

    assertThat(save(m, 0.5, 0.6, 0.2, 0.3)).containsExactly(true, true, true, true);

    assertThat(files()).hasSize(4);
    assertThat(names(m.topK()))
        .containsExactly(topK(0.2, 3), topK(0.3, 4), topK(0.5, 1), topK(0.6, 2));
  }

  @Test
  void saveTopKZeroSavesNothingAndSaysNothing() throws IOException {
    CheckpointManager m = manager("min", 0);

    assertThat(save(m, 0.5, 0.1)).containsExactly(false, false);

    assertThat(files()).isEmpty();
    assertThat(m.best()).isEmpty();
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void aMissingOrNanMonitorIsNoCandidateAndIsReported() throws IOException {
    CheckpointManager m = manager("min", 3);

    assertThat(m.saveTopK(atStep(4), 4, 0, null)).isEmpty();
    assertThat(m.saveTopK(atStep(5), 5, 0, Double.NaN)).isEmpty();

    assertThat(files()).isEmpty();
    assertThat(m.takeWarnings())
        .containsExactly(
            "Not saving a top-k checkpoint at step 4: monitor val_loss has no value; log it before"
                + " the checkpoint is taken, or set save_top_k=0",
            "Not saving a top-k checkpoint at step 5: monitor val_loss is NaN; log it before the"
                + " checkpoint is taken, or set save_top_k=0");
    assertThat(m.takeWarnings()).isEmpty();
    assertThat(m.warnings()).hasSize(2);
  }

  @Test
  void negativeAndInfiniteValuesAreNamedAndRanked() throws IOException {
    CheckpointManager m = manager("max", 2);

    m.saveTopK(atStep(1), 1, 0, -1.23456);
    m.saveTopK(atStep(2), 2, 0, Double.POSITIVE_INFINITY);

    assertThat(names(m.topK()))
        .containsExactly(
            "exp--val_loss=Infinity-epoch=0-step=2.ckpt",
            "exp--val_loss=-1.2346-epoch=0-step=1.ckpt");
    assertThat(names(manager("max", 2).topK())).isEqualTo(names(m.topK()));
  }

  @Test
  void theRankingSurvivesARestartAndIgnoresForeignAndTemporaryFiles() throws IOException {
    CheckpointManager before = manager("min", 3);
    save(before, 0.5, 0.4, 0.6);
    java.nio.file.Path d = tmp.resolve("checkpoints");
    String temp = "." + topK(0.1, 9) + ".tmp-1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    Files.write(d.resolve(temp), new byte[] {1, 2, 3});
    Files.write(d.resolve("other--val_loss=0.0100-epoch=0-step=1.ckpt"), new byte[] {1});
    Files.write(d.resolve("notes.txt"), new byte[] {1});

    CheckpointManager after = manager("min", 3);

    assertThat(after.topK()).isEqualTo(before.topK());
    assertThat(after.warnings())
        .containsExactly(
            "Removed "
                + new Path(dir(), temp)
                + ", a checkpoint left half-written by an interrupted run");
    assertThat(after.saveTopK(atStep(4), 4, 0, 0.7)).isEmpty();
    assertThat(after.saveTopK(atStep(5), 5, 0, 0.45)).contains(new Path(dir(), topK(0.45, 5)));
    assertThat(files())
        .containsExactly(
            topK(0.4, 2),
            topK(0.45, 5),
            topK(0.5, 1),
            "notes.txt",
            "other--val_loss=0.0100-epoch=0-step=1.ckpt");
  }

  @Test
  void saveLastReplacesThePreviousLastOnlyAfterWriting() throws IOException {
    CheckpointManager m = manager("min", 3);

    Path first = m.saveLast(atStep(10), 10, 1, 0.25);
    Path second = m.saveLast(atStep(20), 20, 2, null);

    assertThat(first.getName()).isEqualTo("exp--val_loss=0.2500-epoch=1-step=10-last.ckpt");
    assertThat(second.getName()).isEqualTo("exp--epoch=2-step=20-last.ckpt");
    assertThat(files()).containsExactly("exp--epoch=2-step=20-last.ckpt");
    assertThat(m.latest().orElseThrow().path()).isEqualTo(second);
    assertThat(m.topK()).isEmpty();
  }

  @Test
  void twoLastFilesResolveToTheNewerAndTheNextSaveRemovesBoth() throws IOException {
    // A crash between writing the new last and deleting the old one leaves both.
    CheckpointIO.write(STORAGE, new Path(dir(), "exp--epoch=0-step=3-last.ckpt"), atStep(3));
    CheckpointIO.write(STORAGE, new Path(dir(), "exp--epoch=0-step=5-last.ckpt"), atStep(5));
    CheckpointManager m = manager("min", 3);

    CheckpointManager.Loaded latest = m.latest().orElseThrow();

    assertThat(latest.path().getName()).isEqualTo("exp--epoch=0-step=5-last.ckpt");
    Checkpoints.assertSame(latest.checkpoint(), atStep(5));
    m.saveLast(atStep(6), 6, 0, null);
    assertThat(files()).containsExactly("exp--epoch=0-step=6-last.ckpt");
  }

  @Test
  void latestTakesTheNewestStepAndALastFileBeforeATopKOneOfTheSameStep() throws IOException {
    CheckpointManager m = manager("min", 3);
    m.saveTopK(atStep(3), 3, 0, 0.5);
    m.saveLast(atStep(3), 3, 0, 0.5);
    assertThat(m.latest().orElseThrow().path().getName())
        .isEqualTo("exp--val_loss=0.5000-epoch=0-step=3-last.ckpt");

    m.saveTopK(atStep(4), 4, 0, 0.4);
    CheckpointManager.Loaded latest = m.latest().orElseThrow();
    assertThat(latest.path().getName()).isEqualTo(topK(0.4, 4));
    Checkpoints.assertSame(latest.checkpoint(), atStep(4));
  }

  @Test
  void latestSkipsACorruptNewestCheckpointAndSaysSo() throws IOException {
    CheckpointManager m = manager("min", 3);
    m.saveTopK(atStep(1), 1, 0, 0.5);
    Path last = m.saveLast(atStep(2), 2, 0, 0.4);
    java.nio.file.Path lastFile = java.nio.file.Path.of(last.toUri());
    byte[] bytes = Files.readAllBytes(lastFile);
    Files.write(lastFile, Arrays.copyOf(bytes, 100));

    CheckpointManager.Loaded latest = m.latest().orElseThrow();

    assertThat(latest.path()).isEqualTo(new Path(dir(), topK(0.5, 1)));
    Checkpoints.assertSame(latest.checkpoint(), atStep(1));
    assertThat(m.warnings())
        .containsExactly(
            "Skipping checkpoint "
                + last
                + ": it is truncated: 100 bytes of "
                + bytes.length
                + "; using an earlier one");
  }

  @Test
  void latestIsEmptyForADirectoryThatDoesNotExistYet() throws IOException {
    assertThat(manager("min", 3).latest()).isEmpty();
    assertThat(manager("min", 3).ended()).isFalse();
  }

  @Test
  void theEndMarkerIsALoadableCheckpointThatNoResumeTakesForATrainingOne() throws IOException {
    CheckpointManager m = manager("min", 3);
    m.saveLast(atStep(7), 7, 0, null);
    assertThat(m.ended()).isFalse();

    Path end = m.markEnd(7);

    assertThat(end.getName()).isEqualTo("exp--step=7-end.ckpt");
    assertThat(m.ended()).isTrue();
    assertThat(m.endMarker()).contains(end);
    assertThat(CheckpointIO.read(STORAGE, end).meta())
        .containsEntry("step", 7L)
        .containsEntry("end", true);
    assertThat(m.latest().orElseThrow().path().getName())
        .isEqualTo("exp--epoch=0-step=7-last.ckpt");
  }

  @Test
  void aPolicyRefusesWhatWouldMakeBadFileNames() {
    assertThatThrownBy(() -> new CheckpointPolicy("val_loss", "avg", 3, true, "exp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use checkpoint policy: mode is 'avg'; use min or max");
    assertThatThrownBy(() -> new CheckpointPolicy("val_loss", "min", -2, true, "exp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot use checkpoint policy: save_top_k is -2; use -1 (keep all), 0 (none) or a"
                + " positive count");
    assertThatThrownBy(() -> new CheckpointPolicy("val/loss", "min", 3, true, "exp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot use checkpoint policy: monitor 'val/loss' must be a non-blank name without '/'");
    assertThat(CheckpointPolicy.nemoDefaults("exp"))
        .isEqualTo(new CheckpointPolicy("val_loss", "min", 3, true, "exp"));
    assertThat(Optional.of(CheckpointPolicy.nemoDefaults("exp").maximize())).contains(false);
  }
}
