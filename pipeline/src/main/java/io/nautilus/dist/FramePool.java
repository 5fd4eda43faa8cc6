package io.nautilus.dist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * Direct buffers, each one frame, that carry a received segment on to the successor without copying
 * it back out of the payload. A few are enough: when none is free the receiver stores the segment
 * locally and the sender encodes it again, so an empty pool slows a rank down but never stops it.
 */
final class FramePool {
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

  FramePool(int frames, int frameBytes) {
    for (int i = 0; i < frames; i++) {
      free.add(ByteBuffer.allocateDirect(frameBytes).order(ByteOrder.LITTLE_ENDIAN));
    }
  }

  /** A free frame, cleared, or null when all are in flight. */
  synchronized ByteBuffer poll() {
    ByteBuffer frame = free.poll();
    return frame == null ? null : frame.clear();
  }

  synchronized void release(ByteBuffer frame) {
    free.add(frame);
  }
}
