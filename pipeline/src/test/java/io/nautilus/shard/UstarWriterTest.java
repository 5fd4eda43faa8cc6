package io.nautilus.shard;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UstarWriterTest {

  @Test
  void headerIsPlainUstarWithFixedOwnerModeAndChecksum() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out)) {
      writer.putFile("dir/a.txt", "hello".getBytes(UTF_8));
      assertThat(writer.bytesWritten()).isEqualTo(1024);
    }
    byte[] tar = out.toByteArray();

    assertThat(tar).hasSize(512 + 512 + 1024);
    assertThat(field(tar, 0, 100)).isEqualTo("dir/a.txt" + "\0".repeat(91));
    assertThat(field(tar, 100, 8)).isEqualTo("0000644\0");
    assertThat(field(tar, 108, 8)).isEqualTo("0000000\0");
    assertThat(field(tar, 116, 8)).isEqualTo("0000000\0");
    assertThat(field(tar, 124, 12)).isEqualTo("00000000005\0");
    assertThat(field(tar, 136, 12)).isEqualTo("00000000000\0");
    assertThat((char) tar[156]).isEqualTo('0');
    assertThat(field(tar, 157, 100)).isEqualTo("\0".repeat(100));
    assertThat(field(tar, 257, 8)).isEqualTo("ustar\0" + "00");
    assertThat(field(tar, 265, 64)).isEqualTo("\0".repeat(64));
    assertThat(field(tar, 345, 167)).isEqualTo("\0".repeat(167));
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : tar[i] & 0xff;
    }
    assertThat(field(tar, 148, 8)).isEqualTo(String.format("%06o\0 ", sum));
    assertThat(field(tar, 512, 5)).isEqualTo("hello");
    assertThat(Arrays.copyOfRange(tar, 517, 2048)).containsOnly(0);
  }

  @Test
  void mtimeIsWrittenAsOctalSeconds() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out, 1_700_000_000L)) {
      writer.putFile("a.txt", new byte[0]);
    }
    assertThat(field(out.toByteArray(), 136, 12)).isEqualTo("14524770400\0");
  }

  @Test
  void commonsCompressReadsEveryMemberAsAPlainRegularFile() throws IOException {
    byte[] big = new byte[1500];
    new SplittableRandom(7).nextBytes(big);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out, 42)) {
      writer.putFile("x".repeat(100), new byte[] {1});
      writer.putFile("empty.bin", new byte[0]);
      writer.putFile("big.bin", big.length, new ByteArrayInputStream(big));
    }

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.isFile()).isTrue();
        assertThat(e.isPaxHeader() || e.isGNULongNameEntry()).isFalse();
        assertThat(e.getExtraPaxHeaders()).isEmpty();
        assertThat(e.getMode()).isEqualTo(0644);
        assertThat(e.getLongUserId()).isZero();
        assertThat(e.getLastModifiedDate().getTime()).isEqualTo(42_000L);
        byte[] data = tar.readAllBytes();
        assertThat(data).hasSize((int) e.getSize());
        if (e.getName().equals("big.bin")) {
          assertThat(data).isEqualTo(big);
        }
      }
    }
    assertThat(names).containsExactly("x".repeat(100), "empty.bin", "big.bin");
  }

  @Test
  void everyHeaderBlockIsARegularFileNeverAnExtensionHeader() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out)) {
      for (int i = 0; i < 5; i++) {
        writer.putFile("f" + i + ".bin", new byte[i * 300]);
      }
    }
    byte[] tar = out.toByteArray();
    List<Character> typeflags = new ArrayList<>();
    int offset = 0;
    while (tar[offset] != 0) {
      typeflags.add((char) tar[offset + 156]);
      long size = Long.parseLong(field(tar, offset + 124, 11), 8);
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    assertThat(typeflags).containsExactly('0', '0', '0', '0', '0');
    assertThat(offset + 1024).isEqualTo(tar.length);
  }

  @Test
  void outputIsByteIdenticalAcrossRuns() throws IOException {
    assertThat(smallArchive()).isEqualTo(smallArchive());
  }

  @Test
  void sampleMembersAreAdjacentInSortedExtensionOrder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out)) {
      TreeMap<String, byte[]> members = new TreeMap<>();
      members.put("txt", "hi".getBytes(UTF_8));
      members.put("flac", new byte[] {1, 2});
      members.put("json", "{}".getBytes(UTF_8));
      writer.putSample("spk1/utt1", members);
      writer.putSample("spk1/utt2", new TreeMap<>(Map.of("txt", new byte[] {3})));
    }
    assertThat(commonsCompressNames(out.toByteArray()))
        .containsExactly("spk1/utt1.flac", "spk1/utt1.json", "spk1/utt1.txt", "spk1/utt2.txt");
  }

  @Test
  void refusesNameLongerThan100Bytes() {
    UstarWriter writer = new UstarWriter(OutputStream.nullOutputStream());
    String name = "a".repeat(97) + ".txt";
    assertThatThrownBy(() -> writer.putFile(name, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot write tar member '"
                + name
                + "': the name is 101 bytes, plain ustar allows at most 100 (longer names need"
                + " PAX or GNU headers, which we never write)");
  }

  @Test
  void refusesNonAsciiName() {
    UstarWriter writer = new UstarWriter(OutputStream.nullOutputStream());
    assertThatThrownBy(() -> writer.putFile("caf\u00e9.txt", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot write tar member 'caf\u00e9.txt': character 3 is U+00E9; plain ustar names"
                + " must be printable ASCII");
  }

  @Test
  void refusesAbsoluteAndParentNames() {
    UstarWriter writer = new UstarWriter(OutputStream.nullOutputStream());
    for (String name : List.of("/etc/x.txt", "a/../../x.txt", "dir/")) {
      assertThatThrownBy(() -> writer.putFile(name, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Cannot write tar member '"
                  + name
                  + "': the name must be a relative file path without '..' components");
    }
  }

  @Test
  void refusesSizeBeyondTheOctalField() {
    UstarWriter writer = new UstarWriter(OutputStream.nullOutputStream());
    assertThatThrownBy(() -> writer.putFile("a.bin", 1L << 33, InputStream.nullInputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot write tar member 'a.bin': size 8589934592 is outside 0..8589934591 bytes, the"
                + " range of a plain ustar size field");
  }

  @Test
  void shortStreamFailsAndLeavesTheArchiveVisiblyTruncated() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UstarWriter writer = new UstarWriter(out);
    writer.putFile("ok.txt", new byte[] {1});
    assertThatThrownBy(() -> writer.putFile("a.bin", 10, new ByteArrayInputStream(new byte[4])))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot write tar member 'a.bin': its stream ended after 4 of the declared 10"
                + " bytes");
    assertThatThrownBy(() -> writer.putFile("b.bin", new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot write tar member 'b.bin': an earlier member failed half-written, so the"
                + " archive is corrupt; discard it");
    writer.close();
    assertThat(out.size()).isEqualTo(512 + 512 + 512 + 4);
  }

  @Test
  void longStreamFails() {
    UstarWriter writer = new UstarWriter(OutputStream.nullOutputStream());
    assertThatThrownBy(() -> writer.putFile("a.bin", 3, new ByteArrayInputStream(new byte[4])))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot write tar member 'a.bin': its stream holds more than the declared 3"
                + " bytes");
  }

  @Test
  void finishEndsTheArchiveButKeepsTheStreamOpen() throws IOException {
    ClosableSink sink = new ClosableSink();
    UstarWriter writer = new UstarWriter(sink);
    writer.putFile("a.txt", new byte[] {1});
    writer.finish();
    assertThat(sink.closed).isFalse();
    assertThat(writer.bytesWritten()).isEqualTo(2048);
    assertThatThrownBy(() -> writer.putFile("b.txt", new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot write tar member 'b.txt': the archive is already finished");
    writer.close();
    assertThat(sink.closed).isTrue();
    assertThat(sink.size()).isEqualTo(2048);
  }

  @Test
  void sampleWithDottedKeyIsRefusedBeforeAnyByteIsWritten() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UstarWriter writer = new UstarWriter(out);
    TreeMap<String, byte[]> members = new TreeMap<>(Map.of("txt", new byte[1]));
    assertThatThrownBy(() -> writer.putSample("dir/a.b", members))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot write sample 'dir/a.b': the last path component of a key must be non-empty"
                + " and hold no '.', or WebDataset readers split the sample differently");
    assertThat(out.size()).isZero();
  }

  @Test
  void sampleWithExtensionsEqualOnceLowerCasedIsRefused() {
    UstarWriter writer = new UstarWriter(OutputStream.nullOutputStream());
    TreeMap<String, byte[]> members = new TreeMap<>();
    members.put("TXT", new byte[1]);
    members.put("txt", new byte[1]);
    assertThatThrownBy(() -> writer.putSample("a", members))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot write sample 'a': extensions 'TXT' and 'txt' are the same once lower-cased,"
                + " as WebDataset readers do");
  }

  @Test
  void streamsA64MegabyteMemberInSmallReads(@TempDir Path dir) throws Exception {
    long size = 64L << 20;
    GeneratedStream source = new GeneratedStream(size, 11);
    Path shard = dir.resolve("big.tar");
    try (UstarWriter writer = new UstarWriter(Files.newOutputStream(shard))) {
      writer.putFile("big.bin", size, source);
    }

    // The writer asked for at most its 64 KiB buffer at a time: no member-sized array exists.
    assertThat(source.largestRead).isLessThanOrEqualTo(64 * 1024);
    assertThat(Files.size(shard)).isEqualTo(512 + size + 1024);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(shard))) {
      TarArchiveEntry entry = tar.getNextEntry();
      assertThat(entry.getSize()).isEqualTo(size);
      assertThat(md5(tar)).isEqualTo(md5(new GeneratedStream(size, 11)));
      assertThat(tar.getNextEntry()).isNull();
    }
  }

  private static byte[] smallArchive() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (UstarWriter writer = new UstarWriter(out)) {
      writer.putFile("a.txt", "alpha".getBytes(UTF_8));
      writer.putFile("b.txt", "beta".getBytes(UTF_8));
    }
    return out.toByteArray();
  }

  static List<String> commonsCompressNames(byte[] tarBytes) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(tarBytes))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  private static String field(byte[] tar, int offset, int length) {
    return new String(tar, offset, length, US_ASCII);
  }

  private static String md5(InputStream in) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      md5.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  /** Pseudo-random bytes produced on demand, recording the largest read asked of it. */
  static final class GeneratedStream extends InputStream {
    private final SplittableRandom random;
    private long remaining;
    int largestRead;

    GeneratedStream(long size, long seed) {
      this.remaining = size;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      largestRead = Math.max(largestRead, len);
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }

  private static final class ClosableSink extends ByteArrayOutputStream {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }
}
