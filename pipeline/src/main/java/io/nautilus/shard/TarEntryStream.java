package io.nautilus.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads tar headers one regular file at a time, refusing anything unsafe.
 *
 * <p>Understands POSIX ustar (with its prefix field), old GNU and V7 headers, PAX {@code x} headers
 * (their {@code path} and {@code size} apply to the next member) and GNU {@code L} long names,
 * because shards written by Python carry them. Global PAX headers and GNU long link names are read
 * and ignored. Directories are skipped. Links, devices, FIFOs and other types are refused.
 */
final class TarEntryStream {
  /** Extension headers hold a name and a few numbers; anything larger is hostile. */
  static final int MAX_EXTENSION_HEADER_BYTES = 1 << 20;

  /** A regular file member: its name, declared size, and the offset of its own header. */
  record Entry(String name, long size, long headerOffset) {}

  private final InputStream in;
  private final String url;
  private final long maxMemberBytes;
  private final byte[] scratch = new byte[8192];
  private long position;
  private long unreadData;
  private long unreadPadding;
  private Entry current;
  private boolean ended;

  TarEntryStream(InputStream in, String url, long maxMemberBytes) {
    this.in = in;
    this.url = url;
    this.maxMemberBytes = maxMemberBytes;
  }

  /** The next regular file, or null after the end-of-archive block. Skips unread data first. */
  Entry next() throws IOException {
    if (ended) {
      return null;
    }
    skipRest();
    String longName = null;
    String paxPath = null;
    Long paxSize = null;
    while (true) {
      long offset = position;
      byte[] block = readHeaderBlock(offset);
      if (UstarHeader.isZero(block)) {
        // The second zero block may be missing in archives that other tools accept; stop here.
        ended = true;
        current = null;
        return null;
      }
      verifyChecksum(block, offset);
      char type = (char) block[UstarHeader.TYPEFLAG];
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        long size = headerSize(block, ustarName(block), offset);
        switch (type) {
          case 'x' -> {
            for (String[] rec : paxRecords(readExtension(size, "PAX header", offset), offset)) {
              switch (rec[0]) {
                case "path" -> paxPath = rec[1];
                case "size" -> paxSize = paxNumber(rec[1], offset);
                default -> {}
              }
            }
          }
          case 'L' -> longName = cString(readExtension(size, "GNU long name", offset));
          case 'g' -> readExtension(size, "PAX global header", offset);
          default -> readExtension(size, "GNU long link name", offset);
        }
        continue;
      }
      String name = paxPath != null ? paxPath : longName != null ? longName : ustarName(block);
      long size = paxSize != null ? paxSize : headerSize(block, name, offset);
      if (size < 0 || size > maxMemberBytes) {
        throw fail(
            "member '"
                + name
                + "' at offset "
                + offset
                + " declares "
                + size
                + " bytes, outside the limit of 0.."
                + maxMemberBytes
                + " bytes");
      }
      if (name.isEmpty()) {
        throw fail("member at offset " + offset + " has an empty name");
      }
      if (TarPaths.isUnsafe(name)) {
        throw fail(
            "member '"
                + name
                + "' at offset "
                + offset
                + " has an unsafe name (absolute, or with '..' components); refusing the shard");
      }
      boolean directory = type == '5' || ((type == '0' || type == 0) && name.endsWith("/"));
      if (directory) {
        startData(size);
        skipRest();
        longName = null;
        paxPath = null;
        paxSize = null;
        continue;
      }
      if (type == '0' || type == 0 || type == '7') {
        startData(size);
        current = new Entry(name, size, offset);
        return current;
      }
      throw fail(
          "member '"
              + name
              + "' at offset "
              + offset
              + " is "
              + describeType(type, block)
              + "; shards may hold regular files only");
    }
  }

  /** The whole data of the current member; call at most once per entry. */
  byte[] readData() throws IOException {
    int size = (int) unreadData;
    byte[] data = in.readNBytes(size);
    position += data.length;
    unreadData -= data.length;
    if (data.length < size) {
      throw truncatedData(data.length);
    }
    skipRest();
    return data;
  }

  /** Skips the rest of the current member's data and padding, checking they are all there. */
  void skipRest() throws IOException {
    while (unreadData > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, unreadData));
      if (n < 0) {
        throw truncatedData(current == null ? -1 : current.size() - unreadData);
      }
      position += n;
      unreadData -= n;
    }
    while (unreadPadding > 0) {
      int n = in.read(scratch, 0, (int) unreadPadding);
      if (n < 0) {
        throw fail(
            "archive is truncated: it ends at offset "
                + position
                + " inside the padding after member '"
                + (current == null ? "?" : current.name())
                + "'");
      }
      position += n;
      unreadPadding -= n;
    }
  }

  private void startData(long size) {
    unreadData = size;
    unreadPadding = (UstarHeader.BLOCK - size % UstarHeader.BLOCK) % UstarHeader.BLOCK;
  }

  private byte[] readHeaderBlock(long offset) throws IOException {
    byte[] block = in.readNBytes(UstarHeader.BLOCK);
    position += block.length;
    if (block.length == 0) {
      throw fail(
          "archive is truncated: it ends at offset "
              + offset
              + " without the end-of-archive blocks");
    }
    if (block.length < UstarHeader.BLOCK) {
      throw fail(
          "archive is truncated: the header at offset "
              + offset
              + " has "
              + block.length
              + " of 512 bytes");
    }
    return block;
  }

  private byte[] readExtension(long size, String what, long offset) throws IOException {
    if (size > MAX_EXTENSION_HEADER_BYTES) {
      throw fail(
          what
              + " at offset "
              + offset
              + " declares "
              + size
              + " bytes, over the limit of "
              + MAX_EXTENSION_HEADER_BYTES);
    }
    current = new Entry(what, size, offset);
    startData(size);
    return readData();
  }

  private void verifyChecksum(byte[] block, long offset) {
    long stored;
    try {
      stored = UstarHeader.number(block, UstarHeader.CHECKSUM, UstarHeader.CHECKSUM_LENGTH);
    } catch (NumberFormatException e) {
      throw fail(
          "the header at offset "
              + offset
              + " has an unreadable checksum field ("
              + e.getMessage()
              + "); the shard is corrupt or not a tar file");
    }
    long unsigned = UstarHeader.unsignedChecksum(block);
    if (stored != unsigned && stored != UstarHeader.signedChecksum(block)) {
      throw fail(
          "the header at offset "
              + offset
              + " has checksum "
              + stored
              + " but its bytes sum to "
              + unsigned
              + "; the shard is corrupt or not a tar file");
    }
  }

  private long headerSize(byte[] block, String name, long offset) {
    try {
      return UstarHeader.number(block, UstarHeader.SIZE, UstarHeader.TIME_SIZE_LENGTH);
    } catch (NumberFormatException e) {
      throw fail(
          "member '"
              + name
              + "' at offset "
              + offset
              + " has an unreadable size field ("
              + e.getMessage()
              + ")");
    }
  }

  private static String ustarName(byte[] block) {
    String name = UstarHeader.string(block, UstarHeader.NAME, UstarHeader.NAME_LENGTH);
    if (UstarHeader.hasPosixMagic(block)) {
      String prefix = UstarHeader.string(block, UstarHeader.PREFIX, UstarHeader.PREFIX_LENGTH);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String describeType(char type, byte[] block) {
    String target = UstarHeader.string(block, UstarHeader.LINKNAME, 100);
    return switch (type) {
      case '1' -> "a hard link to '" + target + "'";
      case '2' -> "a symbolic link to '" + target + "'";
      case '3' -> "a character device";
      case '4' -> "a block device";
      case '6' -> "a FIFO";
      default -> String.format("of unsupported type '%s' (0x%02X)", printable(type), (int) type);
    };
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : "?";
  }

  /** PAX records: {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
  private List<String[]> paxRecords(byte[] pax, long offset) {
    List<String[]> records = new ArrayList<>();
    int i = 0;
    while (i < pax.length) {
      int space = i;
      while (space < pax.length && pax[space] >= '0' && pax[space] <= '9' && space - i < 8) {
        space++;
      }
      if (space == i || space >= pax.length || pax[space] != ' ') {
        throw malformedPax(offset);
      }
      int length = Integer.parseInt(new String(pax, i, space - i, StandardCharsets.US_ASCII));
      int end = i + length;
      if (length <= space - i + 1 || end > pax.length || pax[end - 1] != '\n') {
        throw malformedPax(offset);
      }
      String record = new String(pax, space + 1, end - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq <= 0) {
        throw malformedPax(offset);
      }
      records.add(new String[] {record.substring(0, eq), record.substring(eq + 1)});
      i = end;
    }
    return records;
  }

  private long paxNumber(String value, long offset) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw fail("the PAX header at offset " + offset + " has a non-numeric size '" + value + "'");
    }
  }

  private ShardFormatException malformedPax(long offset) {
    return fail("the PAX header at offset " + offset + " is malformed");
  }

  private static String cString(byte[] raw) {
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.UTF_8);
  }

  private ShardFormatException truncatedData(long got) {
    String name = current == null ? "?" : current.name();
    long size = current == null ? -1 : current.size();
    return fail(
        "archive is truncated: member '"
            + name
            + "' declares "
            + size
            + " bytes but the stream ended after "
            + got);
  }

  ShardFormatException fail(String detail) {
    return new ShardFormatException("Cannot read shard " + url + ": " + detail);
  }
}
