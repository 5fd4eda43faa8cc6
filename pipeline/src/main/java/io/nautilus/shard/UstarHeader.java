package io.nautilus.shard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The 512-byte POSIX ustar header block: field layout, numeric encoding and checksum. */
final class UstarHeader {
  static final int BLOCK = 512;

  static final int NAME = 0;
  static final int NAME_LENGTH = 100;
  static final int MODE = 100;
  static final int UID = 108;
  static final int GID = 116;
  static final int ID_LENGTH = 8;
  static final int SIZE = 124;
  static final int MTIME = 136;
  static final int TIME_SIZE_LENGTH = 12;
  static final int CHECKSUM = 148;
  static final int CHECKSUM_LENGTH = 8;
  static final int TYPEFLAG = 156;
  static final int LINKNAME = 157;
  static final int MAGIC = 257;
  static final int VERSION = 263;
  static final int UNAME = 265;
  static final int GNAME = 297;
  static final int DEVMAJOR = 329;
  static final int DEVMINOR = 337;
  static final int PREFIX = 345;
  static final int PREFIX_LENGTH = 155;

  /** POSIX magic plus version: {@code "ustar\0"} then {@code "00"}. */
  static final byte[] POSIX_MAGIC = "ustar\00000".getBytes(StandardCharsets.US_ASCII);

  /** The largest value an 11-digit octal size or mtime field holds: 8 GiB minus one. */
  static final long MAX_OCTAL_11 = 077777777777L;

  private UstarHeader() {}

  /** A header for a regular file, mode 0644, owner 0/0 with empty user and group names. */
  static byte[] regularFile(String asciiName, long size, long mtimeSeconds) {
    byte[] block = new byte[BLOCK];
    byte[] name = asciiName.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, block, NAME, name.length);
    putOctal(block, MODE, ID_LENGTH, 0644);
    putOctal(block, UID, ID_LENGTH, 0);
    putOctal(block, GID, ID_LENGTH, 0);
    putOctal(block, SIZE, TIME_SIZE_LENGTH, size);
    putOctal(block, MTIME, TIME_SIZE_LENGTH, mtimeSeconds);
    block[TYPEFLAG] = '0';
    System.arraycopy(POSIX_MAGIC, 0, block, MAGIC, POSIX_MAGIC.length);
    putOctal(block, DEVMAJOR, ID_LENGTH, 0);
    putOctal(block, DEVMINOR, ID_LENGTH, 0);
    // Six digits, NUL, space: the layout every tar since V7 writes and reads.
    String checksum = String.format("%06o", unsignedChecksum(block));
    System.arraycopy(checksum.getBytes(StandardCharsets.US_ASCII), 0, block, CHECKSUM, 6);
    block[CHECKSUM + 6] = 0;
    block[CHECKSUM + 7] = ' ';
    return block;
  }

  /** Zero-padded octal digits filling all but the last byte of the field, then a NUL. */
  static void putOctal(byte[] block, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (value < 0 || digits.length() > length - 1) {
      throw new IllegalArgumentException(
          "Cannot encode " + value + " in a " + length + "-byte octal field");
    }
    int pad = length - 1 - digits.length();
    Arrays.fill(block, offset, offset + pad, (byte) '0');
    System.arraycopy(
        digits.getBytes(StandardCharsets.US_ASCII), 0, block, offset + pad, digits.length());
    block[offset + length - 1] = 0;
  }

  /** Sum of all header bytes as unsigned, counting the checksum field as eight spaces. */
  static long unsignedChecksum(byte[] block) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      boolean inChecksum = i >= CHECKSUM && i < CHECKSUM + CHECKSUM_LENGTH;
      sum += inChecksum ? ' ' : (block[i] & 0xff);
    }
    return sum;
  }

  /** The same sum over signed bytes, which some historic tars (Sun, early GNU) wrote. */
  static long signedChecksum(byte[] block) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      boolean inChecksum = i >= CHECKSUM && i < CHECKSUM + CHECKSUM_LENGTH;
      sum += inChecksum ? ' ' : block[i];
    }
    return sum;
  }

  static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static boolean hasPosixMagic(byte[] block) {
    return Arrays.equals(
        block, MAGIC, MAGIC + 6, POSIX_MAGIC, 0, 6); // "ustar\0"; the version may vary
  }

  /** Field text up to the first NUL, as UTF-8. */
  static String string(byte[] block, int offset, int length) {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    return new String(block, offset, end - offset, StandardCharsets.UTF_8);
  }

  /**
   * A numeric field: octal digits with optional leading spaces and a NUL or space terminator, or
   * GNU base-256 (high bit of the first byte set) which GNU tar and Python use for large values.
   *
   * @throws NumberFormatException on anything else, or a value that does not fit in a long
   */
  static long number(byte[] block, int offset, int length) {
    if ((block[offset] & 0x80) != 0) {
      return base256(block, offset, length);
    }
    int i = offset;
    int end = offset + length;
    while (i < end && block[i] == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end && block[i] != 0 && block[i] != ' '; i++) {
      int d = block[i] - '0';
      if (d < 0 || d > 7) {
        throw new NumberFormatException(
            "'" + visible(block, offset, length) + "' is not an octal number");
      }
      if (value > (Long.MAX_VALUE >> 3)) {
        throw new NumberFormatException("octal number overflows a long");
      }
      value = (value << 3) | d;
      digits++;
    }
    for (; i < end; i++) {
      if (block[i] != 0 && block[i] != ' ') {
        throw new NumberFormatException(
            "'" + visible(block, offset, length) + "' is not an octal number");
      }
    }
    if (digits == 0) {
      return 0;
    }
    return value;
  }

  /** Field text for error messages, with control and non-ASCII bytes shown as '?'. */
  private static String visible(byte[] block, int offset, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = offset; i < offset + length && block[i] != 0; i++) {
      text.append(block[i] >= 0x20 && block[i] < 0x7f ? (char) block[i] : '?');
    }
    return text.toString().trim();
  }

  private static long base256(byte[] block, int offset, int length) {
    boolean negative = (block[offset] & 0x40) != 0;
    long value = negative ? -1 : 0;
    for (int i = 0; i < length; i++) {
      int b = block[offset + i] & 0xff;
      if (i == 0) {
        b &= 0x7f;
        if (negative) {
          b |= 0x80;
        }
      }
      boolean overflow = negative ? value < (Long.MIN_VALUE >> 8) : value > (Long.MAX_VALUE >> 8);
      if (overflow) {
        throw new NumberFormatException("base-256 number overflows a long");
      }
      value = (value << 8) | b;
    }
    return value;
  }
}
