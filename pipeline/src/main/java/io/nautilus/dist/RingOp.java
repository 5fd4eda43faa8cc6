package io.nautilus.dist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One collective on the ring, seen from the caller's thread: it receives from the predecessor, adds
 * or copies into the payload, hands frames to the {@link Sender} to pass on, and judges timeouts.
 * It never waits for the sender to make room, so a ring of ranks that all send large buffers at
 * once cannot deadlock.
 *
 * <p>A received segment that is to be passed on goes into a pooled frame; for a reduce-scatter step
 * it is replaced in place by {@code local + received} (stored locally only when this rank owns the
 * final sum), and the frame is forwarded without being copied again. With no pooled frame free, the
 * segment is stored locally and the sender encodes it again.
 *
 * <p>Waits are bounded by the operation timeout, counted from the last byte that moved in either
 * direction. Who is blamed when it runs out:
 *
 * <ul>
 *   <li>a successor that stopped reading mid-frame;
 *   <li>a predecessor that never started this operation ("did not start");
 *   <li>a predecessor that started and went silent, unless it said it is itself stalled on its own
 *       predecessor: then this rank waits up to one more timeout for the verdict travelling round
 *       the ring, so every rank ends up naming the same culprit.
 * </ul>
 */
final class RingOp {
  private final Ring ring;
  private final OpId op;
  private final StreamPlan plan;
  private final Payload payload;
  private final Sender sender;
  private final long receiveTotal;
  private final long forwardTotal;

  private final List<StreamPlan.Range> receives;

  /** Where each receive range starts in the receive stream, and how much of it has arrived. */
  private final long[] rangeStart;

  private final long[] rangeReceived;
  private long received;

  private Frame.Header inFrame;
  private ByteBuffer inTarget;
  private Landing inLanding;
  private int inRange;

  /** Where a segment's payload is read to. */
  private enum Landing {
    /** Straight into the payload's own memory; passed on from there. */
    DIRECT,
    /** Into a pooled frame, added or copied, and the frame passed on as it is. */
    POOLED,
    /** Into the spare buffer, then stored; passed on by sending the payload range again. */
    SPARE
  }

  private boolean prevJoined;
  private boolean prevStalled;
  private boolean stalledSent;
  private long lastProgress;

  RingOp(Ring ring, OpId op, StreamPlan plan, Payload payload) {
    this.ring = ring;
    this.op = op;
    this.plan = plan;
    this.payload = payload;
    this.sender = ring.sender;
    this.receiveTotal = plan.receiveBytes();
    this.forwardTotal = plan.forwardBytes();
    this.receives = plan.receives();
    this.rangeStart = new long[receives.size()];
    this.rangeReceived = new long[receives.size()];
    long start = 0;
    for (int i = 0; i < receives.size(); i++) {
      rangeStart[i] = start;
      start += receives.get(i).bytes();
    }
  }

  void run() {
    ring.recvHeader.clear();
    lastProgress = System.nanoTime();
    sender.start(op, plan, payload);
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw failLocally("was interrupted");
      }
      Throwable sendFailure = sender.failure();
      if (sendFailure != null) {
        throw sendFailed(sendFailure);
      }
      boolean progress = pumpReceive();
      if (receiveDone() && sender.finished()) {
        sendFailure = sender.failure();
        if (sendFailure != null) {
          throw sendFailed(sendFailure);
        }
        return;
      }
      long now = System.nanoTime();
      if (progress) {
        lastProgress = now;
        stalledSent = false;
        continue;
      }
      await(now);
    }
  }

  private boolean receiveDone() {
    return prevJoined && inFrame == null && received == receiveTotal;
  }

  // -------------------------------------------------------------- receiving

  private boolean pumpReceive() {
    boolean progress = false;
    while (!receiveDone()) {
      if (inFrame == null) {
        ByteBuffer header = ring.recvHeader;
        if (read(header) < 0) {
          throw prevClosed(null);
        }
        if (header.hasRemaining()) {
          return progress;
        }
        header.flip();
        Frame.Header h = Frame.parse(header);
        header.clear();
        if (h == null || h.kind() == null) {
          throw fail(ring.prev, ring.prev + " sent a corrupt frame " + during(true));
        }
        if (h.kind() != Frame.Kind.STALLED) {
          progress = true;
        }
        if (!expectPayload(h)) {
          continue;
        }
        inFrame = h;
        inTarget =
            h.kind() == Frame.Kind.ABORT
                ? ring.recvPayload.clear().limit(h.payloadBytes())
                : target(h);
      }
      int n = read(inTarget);
      if (n < 0) {
        throw prevClosed(null);
      }
      if (n > 0) {
        progress = true;
      }
      if (inTarget.hasRemaining()) {
        return progress;
      }
      Frame.Header h = inFrame;
      inFrame = null;
      if (h.kind() == Frame.Kind.ABORT) {
        inTarget.flip();
        throw relayed(ring.prev, h.param(), StandardCharsets.UTF_8.decode(inTarget).toString());
      }
      land(h);
      prevStalled = false;
      return true;
    }
    return progress;
  }

  /** Chooses where the payload of the DATA frame {@code h} lands, and readies that buffer. */
  private ByteBuffer target(Frame.Header h) {
    int len = h.payloadBytes();
    StreamPlan.Range range = receives.get(inRange);
    long payloadOffset = range.offset() + (h.offset() - rangeStart[inRange]);
    if (!range.add()) {
      ByteBuffer direct = payload.slice(payloadOffset, len);
      if (direct != null) {
        inLanding = Landing.DIRECT;
        return direct;
      }
    }
    if (h.offset() < forwardTotal) {
      ByteBuffer frame = ring.pool.poll();
      if (frame != null) {
        inLanding = Landing.POOLED;
        return frame.position(Frame.HEADER_BYTES).limit(Frame.HEADER_BYTES + len);
      }
    }
    inLanding = Landing.SPARE;
    return ring.recvPayload.clear().limit(len);
  }

  /** Applies a fully read segment and, when the successor needs it too, passes it on. */
  private void land(Frame.Header h) {
    int len = h.payloadBytes();
    StreamPlan.Range range = receives.get(inRange);
    long payloadOffset = range.offset() + (h.offset() - rangeStart[inRange]);
    boolean forwarded = h.offset() < forwardTotal;
    long at = plan.allowance() + h.offset();
    switch (inLanding) {
      case DIRECT -> {
        if (forwarded) {
          if (!inline(null, at, payload.slice(payloadOffset, len), len)) {
            sender.enqueue(new Sender.Resend(at, payloadOffset, len));
          }
        }
      }
      case POOLED -> {
        ByteBuffer frame = inTarget;
        ByteBuffer body = frame.slice(Frame.HEADER_BYTES, len).order(ByteOrder.LITTLE_ENDIAN);
        if (range.add()) {
          payload.addInto(payloadOffset, body, range.keep());
        } else {
          payload.write(payloadOffset, body, false);
        }
        frame.clear();
        Frame.putHeader(frame, Frame.Kind.DATA, op, op.param(), len, at);
        frame.position(0).limit(Frame.HEADER_BYTES + len);
        if (!inline(frame, at, null, len)) {
          sender.enqueue(new Sender.Forward(frame));
        }
      }
      case SPARE -> {
        // Stored even when only passed on, because the sender reads it back from the payload.
        ByteBuffer body = inTarget.flip();
        payload.write(payloadOffset, body.order(ByteOrder.LITTLE_ENDIAN), range.add());
        if (forwarded) {
          sender.enqueue(new Sender.Resend(at, payloadOffset, len));
        }
      }
      default -> throw new IllegalStateException("Cannot land a segment as " + inLanding);
    }
    rangeReceived[inRange] += len;
    received += len;
  }

  private boolean inline(ByteBuffer frame, long at, ByteBuffer body, int len) {
    try {
      return sender.tryInline(frame, op, at, body, len);
    } catch (IOException e) {
      throw sendFailed(e);
    }
  }

  /** The receive range holding {@code [offset, offset + len)}, or -1 when none holds all of it. */
  private int rangeOf(long offset, int len) {
    int lo = 0;
    int hi = receives.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (rangeStart[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    // Empty ranges share their start with the next one; the last range starting there holds it.
    if (offset < 0 || offset < rangeStart[lo]) {
      return -1;
    }
    long end = rangeStart[lo] + receives.get(lo).bytes();
    return offset + len <= end && rangeReceived[lo] + len <= receives.get(lo).bytes() ? lo : -1;
  }

  private int read(ByteBuffer buf) {
    try {
      return ring.fromPrev.read(buf);
    } catch (IOException e) {
      throw prevClosed(e);
    }
  }

  /** Checks a header from the predecessor; true when a payload follows. */
  private boolean expectPayload(Frame.Header h) {
    switch (h.kind()) {
      case ABORT -> {
        if (h.payloadBytes() < 0 || h.payloadBytes() > Frame.MAX_MESSAGE_BYTES) {
          throw fail(ring.prev, ring.prev + " sent a corrupt abort notice " + during(true));
        }
        return true;
      }
      case STALLED -> {
        if (h.seq() == op.seq()) {
          prevStalled = true;
        }
        return false;
      }
      case START -> {
        if (prevJoined || !op.sameAs(h.seq(), h.code(), h.size(), h.param())) {
          throw mismatch(h);
        }
        prevJoined = true;
        return false;
      }
      case DATA -> {
        if (!prevJoined || !op.sameAs(h.seq(), h.code(), h.size(), h.param())) {
          throw mismatch(h);
        }
        inRange =
            h.payloadBytes() <= 0 || h.payloadBytes() > ring.segmentBytes
                ? -1
                : rangeOf(h.offset(), h.payloadBytes());
        if (inRange < 0) {
          throw fail(
              ring.prev,
              ring.prev
                  + " sent "
                  + h.payloadBytes()
                  + " bytes at offset "
                  + h.offset()
                  + ", which do not fit the "
                  + (receiveTotal - received)
                  + " bytes still expected "
                  + during(true));
        }
        return true;
      }
      default -> throw new IllegalStateException("Cannot handle frame kind " + h.kind());
    }
  }

  // ---------------------------------------------------------------- waiting

  private void await(long now) {
    long last = Math.max(lastProgress, sender.lastProgressNanos());
    long idle = now - last;
    long timeout = ring.timeoutNanos;
    boolean waitingToSend = sender.blockedWriting();
    boolean waitingToReceive = !receiveDone();
    if (!stalledSent && waitingToReceive && idle >= timeout / 2 && sender.owesMore()) {
      sender.enqueue(new Sender.Stalled());
      stalledSent = true;
    }
    if (idle >= timeout) {
      String after = "timed out after " + Durations.format(ring.timeout) + " waiting for ";
      if (waitingToSend) {
        throw fail(ring.next, after + ring.next + " to receive " + during(false));
      }
      if (waitingToReceive && !prevJoined) {
        throw fail(
            ring.prev,
            ring.prev
                + " did not start "
                + op.describe()
                + " within "
                + Durations.format(ring.timeout));
      }
      if (waitingToReceive && (!prevStalled || idle >= 2 * timeout)) {
        throw fail(ring.prev, after + ring.prev + " " + during(true));
      }
      if (!waitingToReceive) {
        throw fail(ring.next, after + ring.next + " " + during(false));
      }
    }
    long wake = last + (waitingToReceive && prevStalled ? 2 * timeout : timeout);
    if (!stalledSent) {
      wake = Math.min(wake, last + timeout / 2);
    }
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - now) + 1);
    ring.prevKey.interestOps(waitingToReceive ? SelectionKey.OP_READ : 0);
    ring.nextKey.interestOps(ring.nextEof ? 0 : SelectionKey.OP_READ);
    try {
      ring.selector.select(millis);
    } catch (IOException e) {
      throw failLocally("could not wait on its sockets: " + e.getMessage());
    }
    boolean nextReadable =
        ring.selector.selectedKeys().contains(ring.nextKey) && ring.nextKey.isReadable();
    ring.selector.selectedKeys().clear();
    if (nextReadable) {
      pumpReverse();
    }
  }

  /** Reads what the successor sent back: only ever an abort notice, or the end of the stream. */
  private void pumpReverse() {
    while (true) {
      ByteBuffer header = ring.reverseHeader;
      if (ring.reverseFrame == null) {
        if (readReverse(header) < 0) {
          nextGone();
          return;
        }
        if (header.hasRemaining()) {
          return;
        }
        header.flip();
        Frame.Header h = Frame.parse(header);
        header.clear();
        if (h == null
            || h.kind() != Frame.Kind.ABORT
            || h.payloadBytes() < 0
            || h.payloadBytes() > Frame.MAX_MESSAGE_BYTES) {
          throw fail(ring.next, ring.next + " sent an unexpected frame back " + during(false));
        }
        ring.reverseFrame = h;
        ring.reverseMessage = ByteBuffer.allocate(h.payloadBytes());
      }
      if (readReverse(ring.reverseMessage) < 0) {
        nextGone();
        return;
      }
      if (ring.reverseMessage.hasRemaining()) {
        return;
      }
      ring.reverseMessage.flip();
      String message = StandardCharsets.UTF_8.decode(ring.reverseMessage).toString();
      throw relayed(ring.next, ring.reverseFrame.param(), message);
    }
  }

  private int readReverse(ByteBuffer buf) {
    try {
      return ring.toNext.read(buf);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * The successor closed. That is its right once it has all it needs, which may be a moment before
   * this rank's sender notices it has finished; it is a failure only while the sender is still
   * waiting to pass it more (a frame being written fails by itself).
   */
  private void nextGone() {
    ring.nextEof = true;
    if (sender.owesMore()) {
      throw fail(ring.next, ring.next + " closed the connection " + during(false));
    }
  }

  private CollectiveException sendFailed(Throwable t) {
    if (!(t instanceof IOException e)) {
      return failLocally("failed while sending: " + t);
    }
    // An abort notice the successor sent before closing explains more than the broken pipe.
    if (!ring.nextEof) {
      pumpReverse();
    }
    return fail(ring.next, ring.next + " closed the connection " + during(false) + reason(e));
  }

  private CollectiveException prevClosed(IOException e) {
    return fail(ring.prev, ring.prev + " closed the connection " + during(true) + reason(e));
  }

  private static String reason(IOException e) {
    return e == null || e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
  }

  private CollectiveException mismatch(Frame.Header h) {
    OpCode code = OpCode.fromWire(h.code());
    String theirs =
        code == null
            ? "an unknown operation (code " + h.code() + ", op " + h.seq() + ")"
            : new OpId(h.seq(), code, h.size(), h.param()).describe();
    return fail(
        ring.prev,
        ring.prev
            + " called "
            + theirs
            + " while "
            + ring.self
            + " called "
            + op.describe()
            + "; every rank must call the same collectives in the same order with the same"
            + " sizes");
  }

  /** "during all-reduce step 3 of 6": the first step this rank has not fully received. */
  private String during(boolean receiving) {
    List<StreamPlan.Range> ranges = receives;
    String name = "during " + op.code().shortName();
    if (ranges.size() <= 1) {
      return name;
    }
    int step = ranges.size() - 1;
    for (int i = 0; i < ranges.size(); i++) {
      if (rangeReceived[i] < ranges.get(i).bytes()) {
        step = i;
        break;
      }
    }
    return name + " step " + (step + 1) + " of " + ranges.size();
  }

  // ---------------------------------------------------------------- failing

  private CollectiveException fail(Peer culprit, String cause) {
    CollectiveException e =
        new CollectiveException("Cannot " + op.describe() + ": " + cause, culprit.rank());
    ring.abort(op, culprit.rank(), cause + " (reported by rank " + ring.self.rank() + ")", null, e);
    return e;
  }

  private CollectiveException failLocally(String what) {
    CollectiveException e =
        new CollectiveException(
            "Cannot " + op.describe() + ": " + ring.self + " " + what,
            CollectiveException.UNKNOWN_RANK);
    ring.abort(op, ring.self.rank(), ring.self + " " + what + " " + during(true), null, e);
    return e;
  }

  private CollectiveException relayed(Peer from, int failedRank, String message) {
    CollectiveException e =
        new CollectiveException("Cannot " + op.describe() + ": " + message, failedRank);
    ring.abort(op, failedRank, message, from, e);
    return e;
  }
}
