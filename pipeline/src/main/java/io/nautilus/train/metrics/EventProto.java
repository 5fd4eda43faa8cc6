package io.nautilus.train.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the few {@code tensorflow.Event} messages TensorBoard needs for scalars, in protobuf wire
 * format:
 *
 * <pre>
 * Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 * Summary { repeated Value value = 1; }
 * Value   { string tag = 1; float simple_value = 2; }
 * </pre>
 *
 * <p>Fields come in field-number order and a zero {@code step} is left out, as protobuf's own
 * serializer does, so the bytes equal those of TensorBoard's writer. {@code simple_value} is
 * written even when it is 0: it sits in a {@code oneof}, and TensorBoard only shows a value whose
 * field is present.
 */
final class EventProto {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private EventProto() {}

  /** The first record of every event file. */
  static byte[] fileVersion(double wallTime, String version) {
    Message event = new Message();
    event.fixed64(1, Double.doubleToRawLongBits(wallTime));
    event.bytes(3, version.getBytes(StandardCharsets.UTF_8));
    return event.toByteArray();
  }

  static byte[] scalar(double wallTime, long step, String tag, float value) {
    Message summaryValue = new Message();
    summaryValue.bytes(1, tag.getBytes(StandardCharsets.UTF_8));
    summaryValue.fixed32(2, Float.floatToRawIntBits(value));
    Message summary = new Message();
    summary.bytes(1, summaryValue.toByteArray());
    Message event = new Message();
    event.fixed64(1, Double.doubleToRawLongBits(wallTime));
    if (step != 0) {
      event.varint(2, step);
    }
    event.bytes(5, summary.toByteArray());
    return event.toByteArray();
  }

  private static final class Message extends ByteArrayOutputStream {
    void varint(int field, long value) {
      key(field, VARINT);
      rawVarint(value);
    }

    void fixed64(int field, long bits) {
      key(field, FIXED64);
      for (int i = 0; i < 8; i++) {
        write((int) (bits >>> (8 * i)));
      }
    }

    void fixed32(int field, int bits) {
      key(field, FIXED32);
      for (int i = 0; i < 4; i++) {
        write(bits >>> (8 * i));
      }
    }

    void bytes(int field, byte[] value) {
      key(field, LENGTH_DELIMITED);
      rawVarint(value.length);
      writeBytes(value);
    }

    private void key(int field, int wireType) {
      rawVarint((field << 3) | wireType);
    }

    /** Negative values take ten bytes, as int64 does in protobuf. */
    private void rawVarint(long value) {
      long rest = value;
      while ((rest & ~0x7FL) != 0) {
        write((int) ((rest & 0x7F) | 0x80));
        rest >>>= 7;
      }
      write((int) rest);
    }
  }
}
