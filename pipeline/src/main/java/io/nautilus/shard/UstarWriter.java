package io.nautilus.shard;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a plain POSIX ustar archive: regular files only, mode 0644, owner 0/0 with empty names,
 * one fixed integer mtime, names of at most 100 printable ASCII bytes, sizes below 8 GiB.
 *
 * <p>It never writes PAX ({@code x}/{@code g}) or GNU ({@code L}/{@code K}) extension headers: a
 * name or size that would need one is refused instead, because DALI and wids mishandle them
 * (FORMATS.md). Output is a pure function of the members and the mtime, so re-running a job
 * produces byte-identical shards. The archive ends with two zero blocks and is not padded to a 10
 * KiB record, which no reader requires.
 *
 * <p>Member data is streamed through a 64 KiB buffer and never held whole. If a member fails
 * half-written the archive is corrupt: further writes are refused, and {@link #close()} closes the
 * stream without the end blocks so that readers see a truncated archive rather than a short one.
 */
public final class UstarWriter implements AutoCloseable {
  /** The longest name plain ustar holds without the prefix field or an extension header. */
  public static final int MAX_NAME_BYTES = UstarHeader.NAME_LENGTH;

  /** One more than the largest member size an 11-digit octal field holds. */
  public static final long MAX_MEMBER_BYTES_EXCLUSIVE = UstarHeader.MAX_OCTAL_11 + 1;

  private static final int BUFFER = 64 * 1024;

  private final OutputStream out;
  private final long mtimeSeconds;
  private final byte[] buffer = new byte[BUFFER];
  private long bytesWritten;
  private boolean broken;
  private boolean finished;
  private boolean closed;

  /** A writer stamping every member with mtime 0, for byte-identical reruns. */
  public UstarWriter(OutputStream out) {
    this(out, 0);
  }

  public UstarWriter(OutputStream out, long mtimeSeconds) {
    this.out = Objects.requireNonNull(out, "out is null");
    if (mtimeSeconds < 0 || mtimeSeconds > UstarHeader.MAX_OCTAL_11) {
      throw new IllegalArgumentException(
          "Cannot create tar writer: mtime "
              + mtimeSeconds
              + " is outside 0.."
              + UstarHeader.MAX_OCTAL_11
              + " seconds, the range of a plain ustar field");
    }
    this.mtimeSeconds = mtimeSeconds;
  }

  /** Bytes handed to the output stream so far, headers and padding included. */
  public long bytesWritten() {
    return bytesWritten;
  }

  public void putFile(String name, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data is null");
    checkWritable(name);
    checkName(name);
    writeMember(name, data.length, new ByteArrayInputStream(data));
  }

  /**
   * Streams exactly {@code size} bytes from {@code data} into a new member. The stream is read to
   * its end but not closed.
   *
   * @throws IOException if {@code data} yields fewer or more bytes than {@code size}, or on a write
   *     failure; the archive is then corrupt and this writer refuses further members
   */
  public void putFile(String name, long size, InputStream data) throws IOException {
    Objects.requireNonNull(data, "data is null");
    checkWritable(name);
    checkName(name);
    checkSize(name, size);
    writeMember(name, size, data);
  }

  /**
   * Writes a WebDataset sample: one member {@code key.ext} per entry, adjacent, in the map's order.
   * All names are checked before the first byte is written.
   */
  public void putSample(String key, SortedMap<String, byte[]> members) throws IOException {
    Objects.requireNonNull(members, "members is null");
    SortedMap<String, MemberSource> sources = new TreeMap<>(members.comparator());
    members.forEach((ext, data) -> sources.put(ext, MemberSource.of(data)));
    putSampleFrom(key, sources);
  }

  /** Like {@link #putSample}, opening each member's stream only when it is written. */
  public void putSampleFrom(String key, SortedMap<String, MemberSource> members)
      throws IOException {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(members, "members is null");
    checkWritable(key);
    checkKey(key);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("Cannot write sample '" + key + "': it has no members");
    }
    List<String> names = new ArrayList<>();
    Map<String, String> lowerCased = new HashMap<>();
    for (Map.Entry<String, MemberSource> member : members.entrySet()) {
      String ext = member.getKey();
      checkExtension(key, ext);
      String clash = lowerCased.put(ext.toLowerCase(Locale.ROOT), ext);
      if (clash != null) {
        throw new IllegalArgumentException(
            "Cannot write sample '"
                + key
                + "': extensions '"
                + clash
                + "' and '"
                + ext
                + "' are the same once lower-cased, as WebDataset readers do");
      }
      String name = key + "." + ext;
      checkName(name);
      checkSize(name, member.getValue().size());
      names.add(name);
    }
    int i = 0;
    for (MemberSource source : members.values()) {
      String name = names.get(i++);
      try (InputStream data = source.opener().open()) {
        writeMember(name, source.size(), data);
      }
    }
  }

  /** Writes the two zero blocks that end the archive, and flushes; the stream stays open. */
  public void finish() throws IOException {
    if (closed || broken) {
      throw new IllegalStateException("Cannot finish tar archive: " + stateProblem());
    }
    if (!finished) {
      write(new byte[2 * UstarHeader.BLOCK], 2 * UstarHeader.BLOCK);
      out.flush();
      finished = true;
    }
  }

  /** Finishes the archive unless a member failed half-written, then closes the stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (!broken) {
        finish();
      }
    } finally {
      closed = true;
      out.close();
    }
  }

  private void writeMember(String name, long size, InputStream data) throws IOException {
    broken = true;
    write(UstarHeader.regularFile(name, size, mtimeSeconds), UstarHeader.BLOCK);
    long remaining = size;
    while (remaining > 0) {
      int n = data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new IOException(
            "Cannot write tar member '"
                + name
                + "': its stream ended after "
                + (size - remaining)
                + " of the declared "
                + size
                + " bytes");
      }
      write(buffer, n);
      remaining -= n;
    }
    if (data.read() >= 0) {
      throw new IOException(
          "Cannot write tar member '"
              + name
              + "': its stream holds more than the declared "
              + size
              + " bytes");
    }
    int padding = (int) ((UstarHeader.BLOCK - size % UstarHeader.BLOCK) % UstarHeader.BLOCK);
    if (padding > 0) {
      write(new byte[padding], padding);
    }
    broken = false;
  }

  private void write(byte[] bytes, int length) throws IOException {
    out.write(bytes, 0, length);
    bytesWritten += length;
  }

  private void checkWritable(String what) {
    if (closed || finished || broken) {
      throw new IllegalStateException("Cannot write tar member '" + what + "': " + stateProblem());
    }
  }

  private String stateProblem() {
    if (broken) {
      return "an earlier member failed half-written, so the archive is corrupt; discard it";
    }
    return closed ? "the writer is closed" : "the archive is already finished";
  }

  static void checkName(String name) {
    Objects.requireNonNull(name, "name is null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Cannot write tar member: the name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot write tar member '%s': character %d is U+%04X; plain ustar names must be"
                    + " printable ASCII",
                name, i, (int) c));
      }
    }
    if (name.length() > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "Cannot write tar member '"
              + name
              + "': the name is "
              + name.length()
              + " bytes, plain ustar allows at most "
              + MAX_NAME_BYTES
              + " (longer names need PAX or GNU headers, which we never write)");
    }
    if (TarPaths.isUnsafe(name) || name.endsWith("/")) {
      throw new IllegalArgumentException(
          "Cannot write tar member '"
              + name
              + "': the name must be a relative file path without '..' components");
    }
  }

  private static void checkSize(String name, long size) {
    if (size < 0 || size >= MAX_MEMBER_BYTES_EXCLUSIVE) {
      throw new IllegalArgumentException(
          "Cannot write tar member '"
              + name
              + "': size "
              + size
              + " is outside 0.."
              + (MAX_MEMBER_BYTES_EXCLUSIVE - 1)
              + " bytes, the range of a plain ustar size field");
    }
  }

  private static void checkKey(String key) {
    String last = key.substring(key.lastIndexOf('/') + 1);
    if (key.isEmpty() || last.isEmpty() || last.indexOf('.') >= 0) {
      throw new IllegalArgumentException(
          "Cannot write sample '"
              + key
              + "': the last path component of a key must be non-empty and hold no '.', or"
              + " WebDataset readers split the sample differently");
    }
  }

  private static void checkExtension(String key, String ext) {
    Objects.requireNonNull(ext, "extension is null");
    if (ext.isEmpty() || ext.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "Cannot write sample '"
              + key
              + "': extension '"
              + ext
              + "' must be non-empty and hold no '/'");
    }
  }
}
