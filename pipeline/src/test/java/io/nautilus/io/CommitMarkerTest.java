package io.nautilus.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitMarkerTest {
  @TempDir Path tmp;

  @Test
  void aMarkerRoundTripsThroughItsJson() {
    CommitMarker m =
        new CommitMarker(
            List.of(
                new CommitMarker.Entry("audio_0.tar", 10240, "0123456789abcdef0123456789abcdef"),
                new CommitMarker.Entry("sharded_manifests/manifest_0.json", 7, "ff")));
    assertThat(m.toJson())
        .isEqualTo(
            """
            {
              "format" : "nautilus-commit",
              "version" : 1,
              "files" : [ {
                "path" : "audio_0.tar",
                "size" : 10240,
                "md5" : "0123456789abcdef0123456789abcdef"
              }, {
                "path" : "sharded_manifests/manifest_0.json",
                "size" : 7,
                "md5" : "ff"
              } ]
            }
            """);
    assertThat(CommitMarker.parse(m.toJson())).isEqualTo(m);
  }

  @Test
  void aMarkerOfAnotherVersionOrFormatIsRefused() {
    assertThatThrownBy(
            () ->
                CommitMarker.parse(
                    "{\"format\": \"nautilus-commit\", \"version\": 2, \"files\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read commit marker: unsupported version 2 (this build reads version 1); use a"
                + " newer Nautilus");
    assertThatThrownBy(() -> CommitMarker.parse("{\"files\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read commit marker: format is not 'nautilus-commit'");
    assertThatThrownBy(() -> CommitMarker.parse("{\"format\": "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read commit marker: it is not JSON: ");
  }

  @Test
  void checkReportsMissingResizedAlteredAndUnlistedFiles() throws IOException {
    Files.writeString(tmp.resolve("kept.json"), "one");
    Files.writeString(tmp.resolve("altered.json"), "owe");
    Files.writeString(tmp.resolve("short.tar"), "tw");
    Files.writeString(tmp.resolve("stray.tar"), "x");
    Files.writeString(tmp.resolve(CommitProtocol.MARKER), "{}");
    CommitMarker m =
        new CommitMarker(
            List.of(
                new CommitMarker.Entry("altered.json", 3, "f97c5d29941bfb1b2fdab0874906ab82"),
                new CommitMarker.Entry("gone.tar", 3, "aa"),
                new CommitMarker.Entry("kept.json", 3, "f97c5d29941bfb1b2fdab0874906ab82"),
                new CommitMarker.Entry("short.tar", 3, "b8a9f715dbb64fd5c56e7783c6820a61")));
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("file:" + tmp);
    FileSystem fs = Storage.local().fs(dir);

    assertThat(m.check(fs, dir, name -> name.endsWith(".json")))
        .containsExactly(
            "altered.json: md5 92159805cf28ee78e13c41ebbbb1aeb4 differs from"
                + " _NAUTILUS_COMMITTED's f97c5d29941bfb1b2fdab0874906ab82",
            "gone.tar: listed in _NAUTILUS_COMMITTED but missing",
            "short.tar: 2 bytes, _NAUTILUS_COMMITTED says 3",
            "stray.tar: not part of the committed set (not in _NAUTILUS_COMMITTED)");
  }
}
