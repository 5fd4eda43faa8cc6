package io.nautilus.dist;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The floats {@code [position, limit)} of a (typically direct) buffer as a payload, with absolute
 * bulk access so the caller's position and limit are left alone.
 */
final class FloatBufferPayload implements Payload {
  private final FloatBuffer data;
  private final int base;
  private final float[] received;
  private final float[] local;

  FloatBufferPayload(FloatBuffer data, float[] received, float[] local) {
    this.data = data;
    this.base = data.position();
    this.received = received;
    this.local = local;
  }

  @Override
  public void read(long offset, ByteBuffer dst, int bytes) {
    int from = base + (int) (offset >>> 2);
    int n = bytes >>> 2;
    dst.asFloatBuffer().put(0, data, from, n);
    dst.position(dst.position() + bytes);
  }

  @Override
  public void write(long offset, ByteBuffer src, boolean add) {
    FloatBuffer in = src.asFloatBuffer();
    int n = in.remaining();
    int from = base + (int) (offset >>> 2);
    if (add) {
      in.get(0, received, 0, n);
      data.get(from, local, 0, n);
      for (int i = 0; i < n; i++) {
        local[i] += received[i];
      }
      data.put(from, local, 0, n);
    } else {
      data.put(from, in, 0, n);
    }
    src.position(src.limit());
  }

  @Override
  public void addInto(long offset, ByteBuffer frame, boolean keep) {
    FloatBuffer view = frame.asFloatBuffer();
    int n = view.remaining();
    int from = base + (int) (offset >>> 2);
    view.get(0, received, 0, n);
    data.get(from, local, 0, n);
    for (int i = 0; i < n; i++) {
      local[i] += received[i];
    }
    view.put(0, local, 0, n);
    if (keep) {
      data.put(from, local, 0, n);
    }
  }
}
