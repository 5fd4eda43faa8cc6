package io.nautilus.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class TarSampleReaderTest {

  @Test
  void writerOutputReadsBackAsSamplesWithMembersInArchiveOrder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out)) {
      writer.putSample("a/utt1", sample("flac", "A1", "txt", "hello"));
      writer.putSample("a/utt2", sample("flac", "A2", "json", "{}", "txt", "bye"));
    }

    List<Sample> samples = readAll(out.toByteArray());

    assertThat(samples).extracting(Sample::key).containsExactly("a/utt1", "a/utt2");
    assertThat(samples).extracting(Sample::url).containsOnly("mem://s.tar");
    assertThat(samples.get(0).members()).containsOnlyKeys("flac", "txt");
    assertThat(samples.get(1).members().keySet()).containsExactly("flac", "json", "txt");
    assertThat(text(samples.get(1), "txt")).isEqualTo("bye");
    assertThat(text(samples.get(0), "flac")).isEqualTo("A1");
  }

  @Test
  void keyIsThePathUpToTheFirstDotOfTheLastComponentAndExtensionsAreLowerCased()
      throws IOException {
    byte[] tar =
        new TarBytes()
            .file("set.v1/spk.7/utt.seg1.FLAC", "x")
            .file("set.v1/spk.7/utt.seg1.Txt", "y")
            .end()
            .bytes();

    List<Sample> samples = readAll(tar);

    assertThat(samples).singleElement().extracting(Sample::key).isEqualTo("set.v1/spk.7/utt");
    assertThat(samples.get(0).members().keySet()).containsExactly("seg1.flac", "seg1.txt");
  }

  @Test
  void metadataExtensionlessAndDirectoryMembersAreSkippedAndCounted() throws IOException {
    byte[] tar =
        new TarBytes()
            .entry("dir/", '5', "")
            .file("__index__", "meta")
            .file("README", "no extension")
            .file(".hidden", "no key")
            .file("dir/a.txt", "kept")
            .end()
            .bytes();

    TarSampleReader reader = new TarSampleReader(new ByteArrayInputStream(tar), "mem://s.tar");
    List<Sample> samples = new ArrayList<>();
    reader.forEachRemaining(samples::add);

    assertThat(samples).extracting(Sample::key).containsExactly("dir/a");
    assertThat(reader.skippedMembers()).isEqualTo(3);
  }

  @Test
  void aKeyThatReturnsAfterAnotherKeyStartsANewSample() throws IOException {
    byte[] tar =
        new TarBytes().file("a.txt", "1").file("b.txt", "2").file("a.json", "3").end().bytes();

    assertThat(readAll(tar)).extracting(Sample::key).containsExactly("a", "b", "a");
  }

  @Test
  void repeatedExtensionInOneSampleIsAnError() {
    byte[] tar = new TarBytes().file("a.txt", "1").file("a.TXT", "2").end().bytes();

    assertThatThrownBy(() -> readAll(tar))
        .isInstanceOf(ShardFormatException.class)
        .hasMessage(
            "Cannot read shard mem://s.tar: sample 'a' has two members with extension 'txt' (the"
                + " second at offset 1024)");
  }

  @Test
  void readsPaxAndGnuLongNamesWrittenByCommonsCompress() throws IOException {
    String longKey = "deep/" + "p".repeat(140);
    for (int mode :
        List.of(TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(mode);
        for (String ext : List.of("flac", "txt")) {
          TarArchiveEntry entry = new TarArchiveEntry(longKey + "." + ext);
          entry.setSize(ext.length());
          tar.putArchiveEntry(entry);
          tar.write(ext.getBytes(UTF_8));
          tar.closeArchiveEntry();
        }
      }

      List<Sample> samples = readAll(out.toByteArray());

      assertThat(samples).singleElement().extracting(Sample::key).isEqualTo(longKey);
      assertThat(text(samples.get(0), "txt")).isEqualTo("txt");
    }
  }

  @Test
  void ustarPrefixFieldIsJoinedToTheName() throws IOException {
    byte[] header = TarBytes.header("b.txt", '0', 2, "");
    TarBytes.put(header, 345, "some/prefix");
    byte[] tar =
        new TarBytes().raw(TarBytes.withChecksum(header)).data(new byte[] {'h', 'i'}).end().bytes();

    assertThat(readAll(tar)).singleElement().extracting(Sample::key).isEqualTo("some/prefix/b");
  }

  @Test
  void emptyArchiveHasNoSamples() throws IOException {
    assertThat(readAll(new TarBytes().end().bytes())).isEmpty();
  }

  @Test
  void iteratingTwiceIsRefused() {
    TarSampleReader reader =
        new TarSampleReader(new ByteArrayInputStream(new TarBytes().end().bytes()), "s.tar");
    reader.iterator();
    assertThatThrownBy(reader::iterator)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot iterate shard s.tar twice: it is a stream");
  }

  static List<Sample> readAll(byte[] tar) throws IOException {
    return readAll(tar, TarSampleReader.DEFAULT_MAX_MEMBER_BYTES);
  }

  static List<Sample> readAll(byte[] tar, long maxMemberBytes) throws IOException {
    List<Sample> samples = new ArrayList<>();
    try (TarSampleReader reader =
        new TarSampleReader(new ByteArrayInputStream(tar), "mem://s.tar", maxMemberBytes)) {
      for (Sample sample : reader) {
        samples.add(sample);
      }
    }
    return samples;
  }

  static TreeMap<String, byte[]> sample(String... extAndText) {
    TreeMap<String, byte[]> members = new TreeMap<>();
    for (int i = 0; i < extAndText.length; i += 2) {
      members.put(extAndText[i], extAndText[i + 1].getBytes(UTF_8));
    }
    return members;
  }

  private static String text(Sample sample, String ext) {
    return new String(sample.member(ext), UTF_8);
  }
}
