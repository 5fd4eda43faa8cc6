package io.nautilus.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitProtocolTest {
  @TempDir Path tmp;
  private FileSystem fs;

  @BeforeEach
  void localFileSystem() throws IOException {
    fs = Storage.local().fs(hadoop(tmp));
  }

  /** The Hadoop form of a local path: {@code file:/tmp/x}, never with a trailing slash. */
  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path("file:" + p.toAbsolutePath());
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void storesWithAtomicRenameCommitByRenameAndOthersByMarker() {
    Configuration conf = new Configuration(false);
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("file:/x"), conf).name())
        .isEqualTo("rename");
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("/x"), conf).name())
        .isEqualTo("rename");
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("hdfs://nn:8020/x"), conf))
        .isSameAs(RenameCommit.INSTANCE);
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("s3a://bucket/x"), conf))
        .isSameAs(MarkerCommit.INSTANCE);
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("gs://bucket/x"), conf))
        .isSameAs(MarkerCommit.INSTANCE);
  }

  @Test
  void theProtocolSettingOverridesTheSchemeAndRejectsUnknownValues() {
    Configuration conf = new Configuration(false);
    conf.set(CommitProtocol.PROTOCOL_KEY, "Marker");
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("hdfs://nn/x"), conf))
        .isSameAs(MarkerCommit.INSTANCE);
    conf.set(CommitProtocol.PROTOCOL_KEY, "rename");
    assertThat(CommitProtocol.forPath(new org.apache.hadoop.fs.Path("s3a://b/x"), conf))
        .isSameAs(RenameCommit.INSTANCE);
    conf.set(CommitProtocol.PROTOCOL_KEY, "atomic");
    assertThatThrownBy(
            () -> CommitProtocol.forPath(new org.apache.hadoop.fs.Path("s3a://b/x"), conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot choose a commit protocol: nautilus.commit.protocol = 'atomic'; use auto,"
                + " rename or marker");
  }

  @Test
  void aRenamedSetReplacesTheOldOneOnlyAtCommit() throws IOException {
    Path target = tmp.resolve("out");
    Files.createDirectories(target);
    Files.writeString(target.resolve("old.txt"), "old");

    PendingSet set = RenameCommit.INSTANCE.begin(fs, hadoop(target));
    assertThat(set.dir().getName()).startsWith(".out.staging-");
    assertThat(set.dir().getParent()).isEqualTo(hadoop(tmp));
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(set.dir(), "a/new.txt"))) {
      write(out, "new");
    }
    assertThat(names(target)).containsExactly("old.txt");

    set.commit();
    set.close();
    assertThat(names(target)).containsExactly("a");
    assertThat(target.resolve("a/new.txt")).hasContent("new");
    assertThat(names(tmp)).containsExactly("out");
    assertThat(RenameCommit.INSTANCE.state(fs, hadoop(target))).isEqualTo(SetState.COMMITTED);
  }

  @Test
  void aRenamedSetClosedWithoutCommitLeavesTheOldSetAndNoStaging() throws IOException {
    Path target = tmp.resolve("out");
    Files.createDirectories(target);
    Files.writeString(target.resolve("old.txt"), "old");

    try (PendingSet set = RenameCommit.INSTANCE.begin(fs, hadoop(target))) {
      try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(set.dir(), "new.txt"))) {
        write(out, "new");
      }
    }
    assertThat(names(tmp)).containsExactly("out");
    assertThat(names(target)).containsExactly("old.txt");
  }

  @Test
  void aMarkerSetIsWrittenInPlaceAndCountsOnlyOnceItsMarkerIsThere() throws IOException {
    Path target = tmp.resolve("out");
    PendingSet set = MarkerCommit.INSTANCE.begin(fs, hadoop(target));
    assertThat(set.dir()).isEqualTo(hadoop(target));
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(set.dir(), "b/two.txt"))) {
      write(out, "two");
    }
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(set.dir(), "one.txt"))) {
      write(out, "one");
    }
    assertThat(MarkerCommit.INSTANCE.state(fs, hadoop(target))).isEqualTo(SetState.UNCOMMITTED);

    set.commit();
    set.close();
    assertThat(MarkerCommit.INSTANCE.state(fs, hadoop(target))).isEqualTo(SetState.COMMITTED);
    assertThat(CommitMarker.read(fs, hadoop(target)).files())
        .containsExactly(
            // md5("two") and md5("one"), read back because no writer recorded them.
            new CommitMarker.Entry("b/two.txt", 3, "b8a9f715dbb64fd5c56e7783c6820a61"),
            new CommitMarker.Entry("one.txt", 3, "f97c5d29941bfb1b2fdab0874906ab82"));
    assertThat(names(target)).containsExactly("_NAUTILUS_COMMITTED", "b", "one.txt");
  }

  @Test
  void aMarkerCommitTrustsRecordedDigestsButChecksTheirSizes() throws IOException {
    Path target = tmp.resolve("out");
    PendingSet set = MarkerCommit.INSTANCE.begin(fs, hadoop(target));
    org.apache.hadoop.fs.Path big = new org.apache.hadoop.fs.Path(set.dir(), "big.tar");
    try (OutputStream out = fs.create(big)) {
      write(out, "0123456789");
    }
    set.record(big, 10, "00000000000000000000000000000010");
    set.commit();
    assertThat(CommitMarker.read(fs, hadoop(target)).files())
        .containsExactly(new CommitMarker.Entry("big.tar", 10, "00000000000000000000000000000010"));

    PendingSet again = MarkerCommit.INSTANCE.begin(fs, hadoop(target));
    try (OutputStream out = fs.create(big)) {
      write(out, "01234");
    }
    again.record(big, 10, "00000000000000000000000000000010");
    assertThatThrownBy(again::commit)
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot commit " + hadoop(target) + ": big.tar is 5 bytes, its writer wrote 10");
    assertThat(MarkerCommit.INSTANCE.state(fs, hadoop(target))).isEqualTo(SetState.UNCOMMITTED);
    again.close();
    assertThat(MarkerCommit.INSTANCE.state(fs, hadoop(target))).isEqualTo(SetState.ABSENT);
  }

  @Test
  void startingAMarkerSetUnpublishesTheOldSetAtOnce() throws IOException {
    Path target = tmp.resolve("out");
    PendingSet first = MarkerCommit.INSTANCE.begin(fs, hadoop(target));
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(first.dir(), "old.txt"))) {
      write(out, "old");
    }
    first.commit();

    PendingSet second = MarkerCommit.INSTANCE.begin(fs, hadoop(target));
    assertThat(MarkerCommit.INSTANCE.state(fs, hadoop(target))).isEqualTo(SetState.UNCOMMITTED);
    assertThat(names(target)).isEmpty();
    second.close();
    assertThat(Files.exists(target)).isFalse();
  }

  @Test
  void aRecordedFileThatIsGoneFailsTheCommit() throws IOException {
    Path target = tmp.resolve("out");
    PendingSet set = MarkerCommit.INSTANCE.begin(fs, hadoop(target));
    set.record(new org.apache.hadoop.fs.Path(set.dir(), "audio_0.tar"), 10240, "ab");
    assertThatThrownBy(set::commit)
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot commit " + hadoop(target) + ": audio_0.tar was written but is missing");
  }

  @Test
  void recordingAFileOutsideTheSetIsRefused() throws IOException {
    PendingSet set = MarkerCommit.INSTANCE.begin(fs, hadoop(tmp.resolve("out")));
    org.apache.hadoop.fs.Path outside = hadoop(tmp.resolve("elsewhere.tar"));
    assertThatThrownBy(() -> set.record(outside, 1, "ab"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot record "
                + outside
                + ": it is not inside the set at "
                + hadoop(tmp.resolve("out")));
  }

  @Test
  void aRenamedFileAppearsOnlyWhenPublished() throws IOException {
    org.apache.hadoop.fs.Path target = hadoop(tmp.resolve("a.txt"));
    try (AttemptFile file = RenameCommit.INSTANCE.create(fs, target, "7")) {
      write(file.stream(), "whole");
      assertThat(names(tmp)).containsExactly(".a.txt.tmp-7");
      file.publish();
    }
    assertThat(names(tmp)).containsExactly("a.txt");
    assertThat(tmp.resolve("a.txt")).hasContent("whole");

    try (AttemptFile file = RenameCommit.INSTANCE.create(fs, target, "8")) {
      write(file.stream(), "partial");
    }
    assertThat(names(tmp)).containsExactly("a.txt");
    assertThat(tmp.resolve("a.txt")).hasContent("whole");
  }

  @Test
  void aDirectFileOnAStoreThatCannotAbortIsDeletedWhenDiscarded() throws IOException {
    org.apache.hadoop.fs.Path target = hadoop(tmp.resolve("a.txt"));
    try (AttemptFile file = MarkerCommit.INSTANCE.create(fs, target, "7")) {
      write(file.stream(), "partial");
    }
    assertThat(names(tmp)).isEmpty();

    try (AttemptFile file = MarkerCommit.INSTANCE.create(fs, target, "8")) {
      write(file.stream(), "whole");
      file.publish();
      assertThatThrownBy(file::publish)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot publish " + target + ": it was published already");
    }
    assertThat(tmp.resolve("a.txt")).hasContent("whole");
  }

  @Test
  void storageWritesAtomicallyWithTheStoresProtocol() throws IOException {
    Configuration conf = new Configuration();
    conf.set(CommitProtocol.PROTOCOL_KEY, "marker");
    Storage storage = Storage.of(conf);
    org.apache.hadoop.fs.Path target = hadoop(tmp.resolve("x.json"));
    assertThatThrownBy(
            () ->
                storage.writeAtomically(
                    target,
                    out -> {
                      write(out, "{\"half\":");
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(names(tmp)).isEmpty();
    storage.writeString(target, "{}\n");
    assertThat(tmp.resolve("x.json")).hasContent("{}");
  }

  @Test
  void storageSettingsTakeSparkHadoopKeysAndSkipOtherSparkKeys() {
    Storage storage =
        Storage.withSettings(
            java.util.Map.of(
                "spark.hadoop.fs.s3a.endpoint",
                "http://127.0.0.1:9000",
                "spark.executor.memory",
                "8g",
                CommitProtocol.PROTOCOL_KEY,
                "marker"));
    Configuration conf = storage.hadoopConf();
    assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
    assertThat(conf.get("spark.executor.memory")).isNull();
    assertThat(conf.get("executor.memory")).isNull();
    assertThat(storage.protocol(new org.apache.hadoop.fs.Path("file:/x")).name())
        .isEqualTo("marker");
  }
}
