package io.nautilus.train.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of event files written for the tests without any of the production code: its own bitwise
 * CRC32C, its own TFRecord framing and its own protobuf decoding. It fails on any framing, checksum
 * or wire-format surprise rather than skipping it. Public for the tests that read back what the
 * train job logged.
 */
public final class EventFileDecoder {
  /** One decoded event; {@code fileVersion} or {@code tag} is null when the event has none. */
  public record Event(double wallTime, long step, String fileVersion, String tag, Float value) {}

  private EventFileDecoder() {}

  public static List<Event> decode(byte[] file) {
    List<Event> events = new ArrayList<>();
    int pos = 0;
    while (pos < file.length) {
      if (file.length - pos < 12) {
        throw new AssertionError("truncated record header at byte " + pos);
      }
      long length = littleEndian(file, pos, 8);
      int headerCrc = (int) littleEndian(file, pos + 8, 4);
      if (headerCrc != masked(crc32c(file, pos, 8))) {
        throw new AssertionError("bad length CRC at byte " + pos);
      }
      int data = pos + 12;
      if (length > file.length - data - 4) {
        throw new AssertionError("record at byte " + pos + " overruns the file");
      }
      int dataCrc = (int) littleEndian(file, data + (int) length, 4);
      if (dataCrc != masked(crc32c(file, data, (int) length))) {
        throw new AssertionError("bad data CRC at byte " + pos);
      }
      events.add(event(file, data, data + (int) length));
      pos = data + (int) length + 4;
    }
    return events;
  }

  /** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, bit by bit. */
  static int crc32c(byte[] bytes, int offset, int length) {
    int crc = 0xFFFFFFFF;
    for (int i = offset; i < offset + length; i++) {
      crc ^= bytes[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return ~crc;
  }

  /** The TFRecord mask, from TensorFlow's crc32c.h: rotate right by 15 and add a constant. */
  static int masked(int crc) {
    return Integer.rotateRight(crc, 15) + 0xa282ead8;
  }

  private static long littleEndian(byte[] bytes, int offset, int count) {
    long value = 0;
    for (int i = count - 1; i >= 0; i--) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  private static Event event(byte[] b, int start, int end) {
    double wallTime = 0;
    long step = 0;
    String fileVersion = null;
    String tag = null;
    Float value = null;
    Cursor c = new Cursor(b, start, end);
    while (c.more()) {
      long key = c.varint();
      switch ((int) key) {
        case (1 << 3) | 1 -> wallTime = Double.longBitsToDouble(c.fixed(8));
        case (2 << 3) -> step = c.varint();
        case (3 << 3) | 2 -> fileVersion = c.string();
        case (5 << 3) | 2 -> {
          Cursor summary = c.nested();
          while (summary.more()) {
            if (summary.varint() != ((1 << 3) | 2)) {
              throw new AssertionError("unexpected field in Summary");
            }
            Cursor v = summary.nested();
            while (v.more()) {
              long vKey = v.varint();
              if (vKey == ((1 << 3) | 2)) {
                tag = v.string();
              } else if (vKey == ((2 << 3) | 5)) {
                value = Float.intBitsToFloat((int) v.fixed(4));
              } else {
                throw new AssertionError("unexpected field in Summary.Value: key " + vKey);
              }
            }
          }
        }
        default -> throw new AssertionError("unexpected field in Event: key " + key);
      }
    }
    return new Event(wallTime, step, fileVersion, tag, value);
  }

  private static final class Cursor {
    private final byte[] b;
    private int pos;
    private final int end;

    Cursor(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte next = b[pos++];
        value |= (long) (next & 0x7F) << shift;
        if (next >= 0) {
          return value;
        }
      }
      throw new AssertionError("varint longer than 10 bytes");
    }

    long fixed(int count) {
      long value = littleEndian(b, pos, count);
      pos += count;
      return value;
    }

    String string() {
      Cursor inner = nested();
      return new String(b, inner.pos, inner.end - inner.pos, StandardCharsets.UTF_8);
    }

    Cursor nested() {
      int length = (int) varint();
      if (pos + length > end) {
        throw new AssertionError("length-delimited field overruns its message");
      }
      Cursor inner = new Cursor(b, pos, pos + length);
      pos += length;
      return inner;
    }
  }
}
