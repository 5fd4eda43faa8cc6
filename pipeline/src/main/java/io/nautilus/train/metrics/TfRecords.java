package io.nautilus.train.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: a little-endian uint64 length, the
 * masked CRC32C of those 8 bytes, the payload, the masked CRC32C of the payload.
 */
final class TfRecords {
  /** TensorFlow's mask offset, which keeps a CRC of bytes that embed CRCs from being trivial. */
  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecords() {}

  static void write(OutputStream out, byte[] payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(payload.length);
    header.putInt(maskedCrc32c(header.array(), 0, 8));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc32c(payload, 0, payload.length));
    out.write(header.array());
    out.write(payload);
    out.write(footer.array());
  }

  static int maskedCrc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }
}
