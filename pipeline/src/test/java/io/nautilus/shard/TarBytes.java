package io.nautilus.shard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Hand-crafted tar bytes, for archives our writer refuses to produce. */
final class TarBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A well-formed ustar header with a correct checksum. */
  static byte[] header(String name, char type, long size, String linkName) {
    byte[] block = new byte[512];
    put(block, 0, name);
    put(block, 100, "0000644\0");
    put(block, 108, "0000000\0");
    put(block, 116, "0000000\0");
    put(block, 124, String.format("%011o\0", size));
    put(block, 136, "00000000000\0");
    block[156] = (byte) type;
    put(block, 157, linkName);
    put(block, 257, "ustar\0" + "00");
    return withChecksum(block);
  }

  static byte[] withChecksum(byte[] block) {
    Arrays.fill(block, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    put(block, 148, String.format("%06o\0 ", sum));
    return block;
  }

  static void put(byte[] block, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, block, offset, bytes.length);
  }

  TarBytes file(String name, String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    raw(header(name, '0', bytes.length, ""));
    return data(bytes);
  }

  TarBytes entry(String name, char type, String linkName) {
    return raw(header(name, type, 0, linkName));
  }

  /** Data followed by zero padding to the next 512-byte boundary. */
  TarBytes data(byte[] bytes) {
    out.writeBytes(bytes);
    out.writeBytes(new byte[(512 - bytes.length % 512) % 512]);
    return this;
  }

  TarBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  TarBytes end() {
    out.writeBytes(new byte[1024]);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
