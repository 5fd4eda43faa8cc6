package io.nautilus.shard;

import static io.nautilus.shard.TarSampleReaderTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Archives crafted byte by byte; each must be refused with a message naming the problem. */
class HostileTarTest {
  private static final String PREFIX = "Cannot read shard mem://s.tar: ";

  @Test
  void parentDirectoryNameIsRefused() {
    assertRefused(
        new TarBytes().file("ok.txt", "fine").file("a/../../evil.txt", "x").end().bytes(),
        "member 'a/../../evil.txt' at offset 1024 has an unsafe name (absolute, or with '..'"
            + " components); refusing the shard");
  }

  @Test
  void leadingParentNameIsRefused() {
    assertRefused(
        new TarBytes().file("../evil.txt", "x").end().bytes(),
        "member '../evil.txt' at offset 0 has an unsafe name (absolute, or with '..'"
            + " components); refusing the shard");
  }

  @Test
  void absoluteNameIsRefused() {
    assertRefused(
        new TarBytes().file("/etc/cron.d/evil.txt", "x").end().bytes(),
        "member '/etc/cron.d/evil.txt' at offset 0 has an unsafe name (absolute, or with '..'"
            + " components); refusing the shard");
  }

  @Test
  void windowsDriveNameIsRefused() {
    assertRefused(
        new TarBytes().file("C:evil.txt", "x").end().bytes(),
        "member 'C:evil.txt' at offset 0 has an unsafe name (absolute, or with '..'"
            + " components); refusing the shard");
  }

  @Test
  void symbolicLinkIsRefused() {
    assertRefused(
        new TarBytes().entry("a.txt", '2', "/etc/passwd").end().bytes(),
        "member 'a.txt' at offset 0 is a symbolic link to '/etc/passwd'; shards may hold"
            + " regular files only");
  }

  @Test
  void hardLinkIsRefused() {
    assertRefused(
        new TarBytes().file("a.txt", "x").entry("b.txt", '1', "a.txt").end().bytes(),
        "member 'b.txt' at offset 1024 is a hard link to 'a.txt'; shards may hold regular"
            + " files only");
  }

  @Test
  void devicesAndFifosAreRefused() {
    assertRefused(
        new TarBytes().entry("tty.dev", '3', "").end().bytes(),
        "member 'tty.dev' at offset 0 is a character device; shards may hold regular files only");
    assertRefused(
        new TarBytes().entry("sda.dev", '4', "").end().bytes(),
        "member 'sda.dev' at offset 0 is a block device; shards may hold regular files only");
    assertRefused(
        new TarBytes().entry("pipe.fifo", '6', "").end().bytes(),
        "member 'pipe.fifo' at offset 0 is a FIFO; shards may hold regular files only");
  }

  @Test
  void unknownTypeIsRefused() {
    assertRefused(
        new TarBytes().entry("sparse.bin", 'S', "").end().bytes(),
        "member 'sparse.bin' at offset 0 is of unsupported type 'S' (0x53); shards may hold"
            + " regular files only");
  }

  @Test
  void hugeOctalSizeIsRefusedBeforeAnyAllocation() {
    byte[] header = TarBytes.header("big.bin", '0', 077777777777L, "");
    assertRefused(
        new TarBytes().raw(header).data(new byte[10]).bytes(),
        "member 'big.bin' at offset 0 declares 8589934591 bytes, outside the limit of"
            + " 0..2147483639 bytes");
  }

  @Test
  void hugeBase256SizeIsRefused() {
    byte[] header = TarBytes.header("big.bin", '0', 0, "");
    Arrays.fill(header, 124, 136, (byte) 0);
    header[124] = (byte) 0x80;
    header[128] = 0x7f; // 0x7f << 56: about 9.1e18 bytes
    assertRefused(
        new TarBytes().raw(TarBytes.withChecksum(header)).bytes(),
        "member 'big.bin' at offset 0 declares 9151314442816847872 bytes, outside the limit of"
            + " 0..2147483639 bytes");
  }

  @Test
  void memberOverAConfiguredLimitIsRefused() {
    byte[] tar = new TarBytes().file("a.bin", "0123456789A").end().bytes();
    assertThatThrownBy(() -> readAll(tar, 10))
        .isInstanceOf(ShardFormatException.class)
        .hasMessage(
            PREFIX
                + "member 'a.bin' at offset 0 declares 11 bytes, outside the limit of 0..10"
                + " bytes");
  }

  @Test
  void badChecksumIsRefused() {
    byte[] tar = new TarBytes().file("a.txt", "x").end().bytes();
    tar[0] = 'b';
    assertRefused(
        tar,
        "the header at offset 0 has checksum "
            + checksumOf("a.txt")
            + " but its bytes sum to "
            + (checksumOf("a.txt") + 1)
            + "; the shard is corrupt or not a tar file");
  }

  @Test
  void textFileIsNotATar() {
    byte[] text = "just some text\n".repeat(40).getBytes(StandardCharsets.US_ASCII);
    assertRefused(
        text,
        "the header at offset 0 has an unreadable checksum field ('t?just s' is not an octal"
            + " number); the shard is corrupt or not a tar file");
  }

  @Test
  void archiveTruncatedInsideMemberDataIsRefused() {
    byte[] full = new TarBytes().file("a.txt", "x".repeat(700)).end().bytes();
    assertRefused(
        Arrays.copyOf(full, 512 + 300),
        "archive is truncated: member 'a.txt' declares 700 bytes but the stream ended after 300");
  }

  @Test
  void archiveTruncatedInsideAHeaderIsRefused() {
    byte[] full = new TarBytes().file("a.txt", "x").file("b.txt", "y").end().bytes();
    assertRefused(
        Arrays.copyOf(full, 1024 + 100),
        "archive is truncated: the header at offset 1024 has 100 of 512 bytes");
  }

  @Test
  void archiveTruncatedInsidePaddingIsRefused() {
    byte[] full = new TarBytes().file("a.txt", "x").end().bytes();
    assertRefused(
        Arrays.copyOf(full, 512 + 200),
        "archive is truncated: it ends at offset 712 inside the padding after member 'a.txt'");
  }

  @Test
  void archiveWithoutEndBlocksIsRefused() {
    assertRefused(
        new TarBytes().file("a.txt", "x").bytes(),
        "archive is truncated: it ends at offset 1024 without the end-of-archive blocks");
  }

  @Test
  void oversizedPaxHeaderIsRefused() {
    byte[] header = TarBytes.header("PaxHeader/a", 'x', 2L << 20, "");
    assertRefused(
        new TarBytes().raw(header).bytes(),
        "PAX header at offset 0 declares 2097152 bytes, over the limit of 1048576");
  }

  @Test
  void paxPathCannotSmuggleAnUnsafeName() {
    byte[] record = "25 path=../../etc/x.conf\n".getBytes(StandardCharsets.US_ASCII);
    byte[] tar =
        new TarBytes()
            .raw(TarBytes.header("PaxHeader/x", 'x', record.length, ""))
            .data(record)
            .file("innocent.txt", "x")
            .end()
            .bytes();
    assertRefused(
        tar,
        "member '../../etc/x.conf' at offset 1024 has an unsafe name (absolute, or with '..'"
            + " components); refusing the shard");
  }

  @Test
  void malformedPaxRecordIsRefused() {
    byte[] record = "99 path=a.txt\n".getBytes(StandardCharsets.US_ASCII);
    byte[] tar =
        new TarBytes()
            .raw(TarBytes.header("PaxHeader/x", 'x', record.length, ""))
            .data(record)
            .file("a.txt", "x")
            .end()
            .bytes();
    assertRefused(tar, "the PAX header at offset 0 is malformed");
  }

  @Test
  void goodSamplesBeforeAHostileMemberAreStillDelivered() throws IOException {
    byte[] tar =
        new TarBytes()
            .file("a.txt", "1")
            .file("b.txt", "2")
            .entry("c.txt", '2', "/etc/passwd")
            .end()
            .bytes();
    TarSampleReader reader = new TarSampleReader(new ByteArrayInputStream(tar), "mem://s.tar");
    assertThat(reader.next().key()).isEqualTo("a");
    assertThatThrownBy(reader::next)
        .isInstanceOf(ShardFormatException.class)
        .hasMessageContaining("is a symbolic link to '/etc/passwd'");
    reader.close();
  }

  private static long checksumOf(String name) {
    byte[] header = TarBytes.header(name, '0', 1, "");
    return Long.parseLong(new String(header, 148, 6, StandardCharsets.US_ASCII), 8);
  }

  private static void assertRefused(byte[] tar, String detail) {
    assertThatThrownBy(() -> readAll(tar))
        .isInstanceOf(ShardFormatException.class)
        .hasMessage(PREFIX + detail);
  }
}
