package io.nautilus.dist;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** {@code data[base ..]} as a payload; {@code scratch} holds one received segment while adding. */
final class FloatArrayPayload implements Payload {
  private final float[] data;
  private final int base;
  private final float[] scratch;

  FloatArrayPayload(float[] data, int base, float[] scratch) {
    this.data = data;
    this.base = base;
    this.scratch = scratch;
  }

  @Override
  public void read(long offset, ByteBuffer dst, int bytes) {
    dst.asFloatBuffer().put(data, base + (int) (offset >>> 2), bytes >>> 2);
    dst.position(dst.position() + bytes);
  }

  @Override
  public void write(long offset, ByteBuffer src, boolean add) {
    FloatBuffer in = src.asFloatBuffer();
    int n = in.remaining();
    int from = base + (int) (offset >>> 2);
    if (add) {
      // A bulk copy out of the direct buffer, then a loop the JIT vectorises.
      in.get(scratch, 0, n);
      float[] local = data;
      float[] received = scratch;
      for (int i = 0; i < n; i++) {
        local[from + i] += received[i];
      }
    } else {
      in.get(data, from, n);
    }
    src.position(src.limit());
  }

  @Override
  public void addInto(long offset, ByteBuffer frame, boolean keep) {
    FloatBuffer view = frame.asFloatBuffer();
    int n = view.remaining();
    int from = base + (int) (offset >>> 2);
    float[] sums = scratch;
    float[] local = data;
    view.get(0, sums, 0, n);
    // One store per loop: C2 does not vectorise a loop that stores to two float arrays (they
    // might alias), which made it three times slower.
    if (keep) {
      for (int i = 0; i < n; i++) {
        local[from + i] += sums[i];
      }
      view.put(0, local, from, n);
    } else {
      for (int i = 0; i < n; i++) {
        sums[i] += local[from + i];
      }
      view.put(0, sums, 0, n);
    }
  }
}
