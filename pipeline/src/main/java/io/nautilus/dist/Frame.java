package io.nautilus.dist;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frames ranks exchange after the handshake, each a 32-byte little-endian header and a payload:
 * {@code magic, kind, op seq, op code, op size (long), param, payload bytes}.
 *
 * <p>Every frame names the operation it belongs to, so a rank that calls a different collective (or
 * the same one with another size) is caught on the first frame instead of corrupting data.
 */
final class Frame {
  static final int MAGIC = 0x4e415554; // "NAUT"
  static final int HEADER_BYTES = 40;

  /** Abort messages are cut to this many bytes of UTF-8. */
  static final int MAX_MESSAGE_BYTES = 4096;

  /** What a frame carries. */
  enum Kind {
    /** The sender has entered the operation; no payload. */
    START(1),
    /** A segment of the operation's send stream. */
    DATA(2),
    /**
     * The sender has had no progress for half the timeout while waiting on its own predecessor; its
     * successor should wait for the sender's verdict before blaming it.
     */
    STALLED(3),
    /** The group failed; {@code param} is the rank at fault, the payload the message (UTF-8). */
    ABORT(4);

    final int wire;

    Kind(int wire) {
      this.wire = wire;
    }

    static Kind fromWire(int wire) {
      for (Kind kind : values()) {
        if (kind.wire == wire) {
          return kind;
        }
      }
      return null;
    }
  }

  /** A decoded header; {@code kind} is null for an unknown kind. */
  record Header(
      Kind kind, int seq, int code, long size, int param, int payloadBytes, long offset) {}

  private Frame() {}

  /** Appends a header with no offset. */
  static void putHeader(ByteBuffer buf, Kind kind, OpId op, int param, int payloadBytes) {
    putHeader(buf, kind, op, param, payloadBytes, 0);
  }

  /** Appends a header for {@code op} (for ABORT, {@code param} replaces the op's parameter). */
  static void putHeader(
      ByteBuffer buf, Kind kind, OpId op, int param, int payloadBytes, long offset) {
    buf.putInt(MAGIC);
    buf.putInt(kind.wire);
    buf.putInt(op.seq());
    buf.putInt(op.code().wire());
    buf.putLong(op.size());
    buf.putInt(param);
    buf.putInt(payloadBytes);
    buf.putLong(offset);
  }

  /** Reads a header from a flipped buffer; null when the magic is wrong. */
  static Header parse(ByteBuffer buf) {
    if (buf.getInt() != MAGIC) {
      return null;
    }
    Kind kind = Kind.fromWire(buf.getInt());
    int seq = buf.getInt();
    int code = buf.getInt();
    long size = buf.getLong();
    int param = buf.getInt();
    int payload = buf.getInt();
    long offset = buf.getLong();
    return new Header(kind, seq, code, size, param, payload, offset);
  }

  /** Writes a whole ABORT frame into {@code buf} (cleared first), ready to send. */
  static void putAbort(ByteBuffer buf, OpId op, int failedRank, String message) {
    byte[] text = utf8Prefix(message, MAX_MESSAGE_BYTES);
    buf.clear();
    putHeader(buf, Kind.ABORT, op, failedRank, text.length);
    buf.put(text);
    buf.flip();
  }

  private static byte[] utf8Prefix(String message, int max) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= max) {
      return bytes;
    }
    int end = max;
    while (end > 0 && (bytes[end] & 0xc0) == 0x80) {
      end--; // do not cut a multi-byte character in two
    }
    return java.util.Arrays.copyOf(bytes, end);
  }
}
