package io.nautilus.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingTest {
  private static final Storage STORAGE = Storage.local();

  @TempDir Path tmp;

  private org.apache.hadoop.fs.Path output() {
    return STORAGE.qualify(tmp.resolve("shards").toString());
  }

  private Path stagingOf(Staging.Owner owner) throws IOException {
    Path dir = Path.of(Staging.path(output(), owner).toUri());
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".audio_0.tar.tmp-3"), "partial");
    return dir;
  }

  /** A process that has exited, with the pid and start time it had. */
  private static Staging.Owner deadProcess() throws Exception {
    Process p = new ProcessBuilder("true").start();
    long start = p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    p.waitFor();
    return new Staging.Owner(p.pid(), start, Staging.Owner.current().host());
  }

  private String[] siblings() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void theStagingPathSitsBesideTheOutputAndNamesThisProcess() {
    org.apache.hadoop.fs.Path staging =
        Staging.create(STORAGE, output(), new PrintStream(new ByteArrayOutputStream()));
    Staging.Owner me = Staging.Owner.current();
    assertThat(staging.getParent()).isEqualTo(output().getParent());
    assertThat(staging.getName())
        .startsWith(".shards.staging-" + ProcessHandle.current().pid() + "-")
        .endsWith("-" + me.host());
    String suffix = staging.getName().substring(".shards.staging-".length());
    assertThat(Staging.Owner.parse(suffix)).contains(me);
  }

  @Test
  void twoStagingPathsOfOneProcessDiffer() {
    Staging.Owner me = Staging.Owner.current();
    assertThat(Staging.path(output(), me)).isNotEqualTo(Staging.path(output(), me));
  }

  @Test
  void aStagingDirOfAProcessThatIsGoneIsRemovedAndReported() throws Exception {
    Path stale = stagingOf(deadProcess());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Staging.create(STORAGE, output(), new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(stale).doesNotExist();
    assertThat(log.toString(StandardCharsets.UTF_8))
        .isEqualTo("note: removed " + stale + ", left by an earlier run that was stopped" + "\n");
  }

  @Test
  void aStagingDirOfALiveProcessIsKept() throws Exception {
    Path live = stagingOf(Staging.Owner.current());

    assertThat(Staging.cleanStale(STORAGE, output())).isEmpty();
    assertThat(live.resolve(".audio_0.tar.tmp-3")).hasContent("partial");
  }

  @Test
  void aReusedPidWithAnotherStartTimeCountsAsGone() throws Exception {
    Staging.Owner me = Staging.Owner.current();
    Path stale = stagingOf(new Staging.Owner(me.pid(), me.startMillis() - 3_600_000, me.host()));

    assertThat(Staging.cleanStale(STORAGE, output()))
        .containsExactly(STORAGE.qualify(stale.toString()));
    assertThat(stale).doesNotExist();
  }

  @Test
  void stagingDirsOfOtherHostsOtherOutputsAndOtherNamesAreLeftAlone() throws Exception {
    Staging.Owner dead = deadProcess();
    stagingOf(new Staging.Owner(dead.pid(), dead.startMillis(), "other-host.example"));
    Files.createDirectories(tmp.resolve(".shards2.staging-1-2-0123456789abcdef-" + dead.host()));
    Files.createDirectories(tmp.resolve(".shards.staging-0b7e3c1a-9f2d-4c4e-8a55-2f1d3e4c5b6a"));
    Files.createDirectories(tmp.resolve("shards"));
    String[] before = siblings();

    assertThat(Staging.cleanStale(STORAGE, output())).isEmpty();
    assertThat(siblings()).containsExactly(before).hasSize(4);
  }

  @Test
  void anOutputWhoseParentDoesNotExistHasNothingToClean() {
    org.apache.hadoop.fs.Path output =
        STORAGE.qualify(tmp.resolve("no/such/parent/out").toString());
    assertThat(Staging.cleanStale(STORAGE, output)).isEmpty();
  }
}
