package io.nautilus.dist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One collective on the ring, driven by a single thread over non-blocking sockets: it writes frames
 * to the successor and reads frames from the predecessor in the same loop, so two ranks streaming
 * large buffers at each other never deadlock, and it sleeps in a selector only when neither side
 * can move.
 *
 * <p>Waits are bounded by the operation timeout, counted from the last byte that moved. Who is
 * blamed when it runs out:
 *
 * <ul>
 *   <li>a successor that stopped reading mid-frame;
 *   <li>a predecessor that never started this operation ("did not join");
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
  private final long sendTotal;
  private final long receiveTotal;

  private long sent;
  private int sendRange;
  private long sendRangeOffset;
  private boolean sendingNotice;

  private long received;
  private int receiveRange;
  private long receiveRangeOffset;
  private Frame.Header inFrame;

  private boolean prevJoined;
  private boolean prevStalled;
  private boolean stalledSent;
  private long lastProgress;

  RingOp(Ring ring, OpId op, StreamPlan plan, Payload payload) {
    this.ring = ring;
    this.op = op;
    this.plan = plan;
    this.payload = payload;
    this.sendTotal = plan.sendBytes();
    this.receiveTotal = plan.receiveBytes();
  }

  void run() {
    ByteBuffer out = ring.sendBuf;
    out.clear();
    Frame.putHeader(out, Frame.Kind.START, op, op.param(), 0);
    out.flip();
    ring.recvHeader.clear();
    lastProgress = System.nanoTime();
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw failLocally("was interrupted");
      }
      boolean progress = pumpSend();
      progress |= pumpReceive();
      if (done()) {
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

  private boolean done() {
    return sent == sendTotal && !ring.sendBuf.hasRemaining() && receiveDone();
  }

  private boolean receiveDone() {
    return prevJoined && inFrame == null && received == receiveTotal;
  }

  private boolean owesNext() {
    return sent < sendTotal || ring.sendBuf.hasRemaining();
  }

  // ---------------------------------------------------------------- sending

  private boolean pumpSend() {
    ByteBuffer out = ring.sendBuf;
    boolean progress = false;
    while (true) {
      if (out.hasRemaining()) {
        int n;
        try {
          n = ring.toNext.write(out);
        } catch (IOException e) {
          throw nextFailed(e);
        }
        if (n > 0 && !sendingNotice) {
          progress = true;
        }
        if (out.hasRemaining()) {
          return progress;
        }
        sendingNotice = false;
      }
      if (!nextFrame()) {
        return progress;
      }
    }
  }

  /** Fills the send buffer with the next allowed segment; false when none is allowed yet. */
  private boolean nextFrame() {
    if (sent == sendTotal) {
      return false;
    }
    long allowed = plan.allowance() + received - sent;
    if (allowed <= 0) {
      return false;
    }
    List<StreamPlan.Range> sends = plan.sends();
    StreamPlan.Range range = sends.get(sendRange);
    while (sendRangeOffset == range.bytes()) {
      range = sends.get(++sendRange);
      sendRangeOffset = 0;
    }
    int len = (int) Math.min(ring.segmentBytes, Math.min(range.bytes() - sendRangeOffset, allowed));
    ByteBuffer out = ring.sendBuf;
    out.clear();
    Frame.putHeader(out, Frame.Kind.DATA, op, op.param(), len);
    payload.read(range.offset() + sendRangeOffset, out, len);
    out.flip();
    sent += len;
    sendRangeOffset += len;
    return true;
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
        ring.recvPayload.clear().limit(h.payloadBytes());
      }
      ByteBuffer body = ring.recvPayload;
      int n = read(body);
      if (n < 0) {
        throw prevClosed(null);
      }
      if (n > 0) {
        progress = true;
      }
      if (body.hasRemaining()) {
        return progress;
      }
      body.flip();
      Frame.Header h = inFrame;
      inFrame = null;
      if (h.kind() == Frame.Kind.ABORT) {
        throw relayed(ring.prev, h.param(), StandardCharsets.UTF_8.decode(body).toString());
      }
      apply(body);
      prevStalled = false;
      // Let the sender forward what just arrived before reading more.
      return true;
    }
    return progress;
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
        long left = receiveTotal - received;
        if (h.payloadBytes() <= 0
            || h.payloadBytes() > ring.segmentBytes
            || h.payloadBytes() > left) {
          throw fail(
              ring.prev,
              ring.prev
                  + " sent a frame of "
                  + h.payloadBytes()
                  + " bytes when "
                  + left
                  + " bytes were left "
                  + during(true));
        }
        return true;
      }
      default -> throw new IllegalStateException("Cannot handle frame kind " + h.kind());
    }
  }

  private void apply(ByteBuffer body) {
    List<StreamPlan.Range> receives = plan.receives();
    while (body.hasRemaining()) {
      StreamPlan.Range range = receives.get(receiveRange);
      long left = range.bytes() - receiveRangeOffset;
      if (left == 0) {
        receiveRange++;
        receiveRangeOffset = 0;
        continue;
      }
      int n = (int) Math.min(left, body.remaining());
      ByteBuffer part = body.slice(body.position(), n).order(ByteOrder.LITTLE_ENDIAN);
      payload.write(range.offset() + receiveRangeOffset, part, range.add());
      body.position(body.position() + n);
      receiveRangeOffset += n;
      received += n;
    }
  }

  // ---------------------------------------------------------------- waiting

  private void await(long now) {
    long idle = now - lastProgress;
    long timeout = ring.timeoutNanos;
    boolean waitingToSend = ring.sendBuf.hasRemaining();
    boolean waitingToReceive = !receiveDone();
    if (!stalledSent
        && waitingToReceive
        && !waitingToSend
        && sent < sendTotal
        && idle >= timeout / 2) {
      ByteBuffer out = ring.sendBuf;
      out.clear();
      Frame.putHeader(out, Frame.Kind.STALLED, op, op.param(), 0);
      out.flip();
      sendingNotice = true;
      stalledSent = true;
      return;
    }
    if (idle >= timeout) {
      String after = "timed out after " + Durations.format(ring.timeout) + " waiting for ";
      if (waitingToSend && !sendingNotice) {
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
    }
    long wake = lastProgress + (waitingToReceive && prevStalled ? 2 * timeout : timeout);
    if (!stalledSent) {
      wake = Math.min(wake, lastProgress + timeout / 2);
    }
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - now) + 1);
    ring.prevKey.interestOps(waitingToReceive ? SelectionKey.OP_READ : 0);
    ring.nextKey.interestOps(
        (waitingToSend ? SelectionKey.OP_WRITE : 0) | (ring.nextEof ? 0 : SelectionKey.OP_READ));
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
          nextGone(null);
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
      int n = readReverse(ring.reverseMessage);
      if (n < 0) {
        nextGone(null);
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

  private void nextGone(IOException e) {
    ring.nextEof = true;
    if (owesNext()) {
      throw fail(ring.next, ring.next + " closed the connection " + during(false) + reason(e));
    }
  }

  private CollectiveException nextFailed(IOException e) {
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

  /** "during all-reduce step 3 of 6" for the step being received or sent. */
  private String during(boolean receiving) {
    List<StreamPlan.Range> ranges = receiving ? plan.receives() : plan.sends();
    long position = receiving ? received : Math.max(0, sent - 1);
    String name = "during " + op.code().shortName();
    if (ranges.size() <= 1) {
      return name;
    }
    int step = 0;
    long end = 0;
    for (StreamPlan.Range r : ranges) {
      end += r.bytes();
      if (position < end) {
        break;
      }
      step = Math.min(step + 1, ranges.size() - 1);
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
