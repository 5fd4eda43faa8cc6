package io.nautilus.dist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two connections of one rank (from its predecessor, to its successor), the buffers that serve
 * every operation, and the failure state. Data flows one way round the ring; the reverse direction
 * of each connection carries nothing but abort notices.
 */
final class Ring implements AutoCloseable {
  /** How long a failing rank spends telling each neighbour why, before it closes. */
  private static final long ABORT_NOTICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  final Peer self;
  final Peer prev;
  final Peer next;
  final SocketChannel fromPrev;
  final SocketChannel toNext;
  final Selector selector;
  final SelectionKey prevKey;
  final SelectionKey nextKey;
  final int segmentBytes;
  final long timeoutNanos;
  final Duration timeout;

  /** Frames in flight from receiver to sender. */
  static final int POOLED_FRAMES = 8;

  final Sender sender;
  final FramePool pool;

  final ByteBuffer recvHeader;

  /** Where frames that are not passed on as they are (or find the pool empty) land. */
  final ByteBuffer recvPayload;

  /** An abort notice arriving from the successor, read a piece at a time. */
  final ByteBuffer reverseHeader =
      ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

  Frame.Header reverseFrame;
  ByteBuffer reverseMessage;

  /** The successor closed its side; fine only while nothing more is owed to it. */
  boolean nextEof;

  final float[] scratch;
  final float[] scratch2;

  private CollectiveException failure;
  private boolean closed;

  Ring(
      Peer self,
      Peer prev,
      Peer next,
      SocketChannel fromPrev,
      SocketChannel toNext,
      GroupOptions o) {
    this.self = self;
    this.prev = prev;
    this.next = next;
    this.fromPrev = fromPrev;
    this.toNext = toNext;
    this.segmentBytes = o.segmentBytes();
    this.timeout = o.opTimeout();
    this.timeoutNanos = o.opTimeout().toNanos();
    int payloadCapacity = Math.max(segmentBytes, Frame.MAX_MESSAGE_BYTES);
    this.pool = new FramePool(POOLED_FRAMES, Frame.HEADER_BYTES + segmentBytes);
    this.recvHeader = ByteBuffer.allocateDirect(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.recvPayload = ByteBuffer.allocateDirect(payloadCapacity).order(ByteOrder.LITTLE_ENDIAN);
    this.scratch = new float[segmentBytes / 4];
    this.scratch2 = new float[segmentBytes / 4];
    Selector sel = null;
    try {
      sel = Selector.open();
      fromPrev.configureBlocking(false);
      toNext.configureBlocking(false);
      this.prevKey = fromPrev.register(sel, 0);
      this.nextKey = toNext.register(sel, 0);
      this.selector = sel;
      this.sender =
          new Sender(
              toNext, pool, segmentBytes, sel::wakeup, "nautilus-dist-send-rank-" + self.rank());
    } catch (IOException e) {
      RingConnector.closeQuietly(sel);
      RingConnector.closeQuietly(fromPrev);
      RingConnector.closeQuietly(toNext);
      throw new CollectiveException(
          "Cannot set up the ring connections of " + self + ": " + e.getMessage(),
          CollectiveException.UNKNOWN_RANK,
          e);
    }
  }

  /** Runs one operation to completion or throws after failing the group. */
  void run(OpId op, StreamPlan plan, Payload payload) {
    checkUsable(op);
    new RingOp(this, op, plan, payload).run();
  }

  void checkUsable(OpId op) {
    if (failure != null) {
      throw new CollectiveException(
          "Cannot " + op.describe() + ": the process group failed earlier: " + failure.getMessage(),
          failure.failedRank(),
          failure);
    }
    if (closed) {
      throw new IllegalStateException(
          "Cannot " + op.describe() + ": the process group of " + self + " is closed");
    }
  }

  /**
   * Marks the group failed, tells both neighbours (except {@code heardFrom}, who told us) why, and
   * closes. The notices are best effort and bounded: a dead or hung neighbour cannot delay this
   * rank's own failure by more than a fraction of a second.
   */
  void abort(OpId op, int failedRank, String message, Peer heardFrom, CollectiveException e) {
    if (failure != null) {
      return;
    }
    failure = e;
    ByteBuffer notice = ByteBuffer.allocate(Frame.HEADER_BYTES + Frame.MAX_MESSAGE_BYTES);
    notice.order(ByteOrder.LITTLE_ENDIAN);
    boolean senderStopped = sender.cancel(ABORT_NOTICE_NANOS);
    try {
      if (heardFrom != next && !nextEof && senderStopped) {
        // Finish a half-sent frame first, or the successor would misread the notice.
        ByteBuffer[] partial = sender.partialFrame();
        long deadline = System.nanoTime() + ABORT_NOTICE_NANOS;
        if (partial == null || writeWithin(toNext, nextKey, partial, deadline)) {
          Frame.putAbort(notice, op, failedRank, message);
          writeWithin(toNext, nextKey, new ByteBuffer[] {notice}, deadline + ABORT_NOTICE_NANOS);
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // The successor is gone; it cannot be told.
    }
    try {
      if (heardFrom != prev) {
        Frame.putAbort(notice, op, failedRank, message);
        writeWithin(
            fromPrev, prevKey, new ByteBuffer[] {notice}, System.nanoTime() + ABORT_NOTICE_NANOS);
      }
    } catch (IOException | RuntimeException ignored) {
      // The predecessor is gone; it cannot be told.
    }
    close();
  }

  /** Writes all of {@code bufs} unless the deadline passes first; true when all was written. */
  private boolean writeWithin(SocketChannel ch, SelectionKey key, ByteBuffer[] bufs, long deadline)
      throws IOException {
    prevKey.interestOps(0);
    nextKey.interestOps(0);
    while (hasRemaining(bufs)) {
      if (ch.write(bufs) > 0) {
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      key.interestOps(SelectionKey.OP_WRITE);
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      key.interestOps(0);
    }
    return true;
  }

  private static boolean hasRemaining(ByteBuffer[] bufs) {
    for (ByteBuffer b : bufs) {
      if (b.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sender.shutdown();
    for (SocketChannel ch : new SocketChannel[] {toNext, fromPrev}) {
      try {
        // FIN after what was written, so a last abort notice still arrives.
        ch.shutdownOutput();
      } catch (IOException | RuntimeException ignored) {
        // Already reset by the peer.
      }
    }
    RingConnector.closeQuietly(selector);
    RingConnector.closeQuietly(toNext);
    RingConnector.closeQuietly(fromPrev);
  }
}
