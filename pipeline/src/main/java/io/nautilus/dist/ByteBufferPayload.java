package io.nautilus.dist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The little-endian floats in {@code [position, limit)} of a buffer as a payload. A direct buffer
 * (such as DJL's {@code NDArray.toByteBuffer()}) is sent from and gathered into in place; only the
 * additions go through heap scratch arrays, where the JIT can vectorise them.
 */
final class ByteBufferPayload implements Payload {
  private final ByteBuffer bytes;
  private final FloatBuffer floats;
  private final float[] received;
  private final float[] local;

  ByteBufferPayload(ByteBuffer data, float[] received, float[] local) {
    this.bytes = data.slice();
    this.floats = data.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    this.received = received;
    this.local = local;
  }

  @Override
  public void read(long offset, ByteBuffer dst, int n) {
    dst.put(dst.position(), bytes, (int) offset, n);
    dst.position(dst.position() + n);
  }

  @Override
  public ByteBuffer slice(long offset, int n) {
    return bytes.slice((int) offset, n);
  }

  @Override
  public void write(long offset, ByteBuffer src, boolean add) {
    int n = src.remaining();
    if (add) {
      FloatBuffer in = src.asFloatBuffer();
      int count = in.remaining();
      int from = (int) (offset >>> 2);
      in.get(0, received, 0, count);
      floats.get(from, local, 0, count);
      for (int i = 0; i < count; i++) {
        local[i] += received[i];
      }
      floats.put(from, local, 0, count);
    } else {
      bytes.put((int) offset, src, src.position(), n);
    }
    src.position(src.limit());
  }

  @Override
  public void addInto(long offset, ByteBuffer frame, boolean keep) {
    FloatBuffer view = frame.asFloatBuffer();
    int n = view.remaining();
    int from = (int) (offset >>> 2);
    view.get(0, received, 0, n);
    floats.get(from, local, 0, n);
    for (int i = 0; i < n; i++) {
      local[i] += received[i];
    }
    view.put(0, local, 0, n);
    if (keep) {
      floats.put(from, local, 0, n);
    }
  }
}
