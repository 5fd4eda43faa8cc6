package io.nautilus.dist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes to a rank's successor, so that sending overlaps receiving and adding
 * (which the caller's thread does). Per operation it writes a START frame, then the send stream:
 * the rank's own first step, encoded from the payload (or sent straight from it when the payload is
 * a buffer), interleaved with what the receiver hands over: frames to pass on as they are, payload
 * ranges to send again, a STALLED notice. Handed-over items go first, since they free pooled frames
 * and keep the ring moving; own segments fill the gaps.
 *
 * <p>It never decides about timeouts: it records when it last moved a byte and whether it is stuck
 * mid-frame, and the receiver judges. Its writes are non-blocking, so a cancel takes effect at
 * once.
 */
final class Sender implements Runnable {

  /** Something to write besides the operation's own first step. */
  sealed interface Item permits Forward, Resend, Stalled, Remainder {}

  /** A complete pooled frame (header and payload), returned to the pool once written. */
  record Forward(ByteBuffer frame) implements Item {}

  /** Payload bytes {@code [payloadOffset, + bytes)} to send at send-stream offset {@code at}. */
  record Resend(long at, long payloadOffset, int bytes) implements Item {}

  /** A STALLED notice (not counted as progress). */
  record Stalled() implements Item {}

  /**
   * What the receiver's thread could not write of a frame it sent itself ({@link #tryInline});
   * already counted as sent. {@code release}, if not null, goes back to the pool afterwards.
   */
  record Remainder(ByteBuffer[] buffers, ByteBuffer release) implements Item {}

  private record Job(OpId op, StreamPlan plan, Payload payload) {}

  private static final class Cancelled extends Exception {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final FramePool pool;
  private final int segmentBytes;
  private final Runnable wakeReceiver;
  private final ByteBuffer encodeBuf;
  private final ByteBuffer headerBuf;
  private final ByteBuffer inlineHeader;
  private final ByteBuffer[] gather = new ByteBuffer[2];
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Item> items = new ArrayDeque<>();
  private Job job;
  private volatile boolean cancelled;
  private boolean shutdown;

  private volatile boolean finished = true;
  private volatile Throwable failure;
  private volatile boolean waitingForItems;
  private volatile boolean blockedWriting;
  private volatile long lastProgressNanos;
  private volatile ByteBuffer[] partial;

  /** The current operation's send-stream size, and the bytes the receiver wrote inline. */
  private long total;

  private long sentInline;

  /** What the sender itself had written when it last began waiting for items. */
  private long sentBySender;

  Sender(
      SocketChannel channel, FramePool pool, int segmentBytes, Runnable wakeReceiver, String name)
      throws IOException {
    this.channel = channel;
    this.pool = pool;
    this.segmentBytes = segmentBytes;
    this.wakeReceiver = wakeReceiver;
    this.selector = Selector.open();
    this.key = channel.register(selector, 0);
    this.encodeBuf =
        ByteBuffer.allocateDirect(Frame.HEADER_BYTES + segmentBytes).order(ByteOrder.LITTLE_ENDIAN);
    this.headerBuf = ByteBuffer.allocateDirect(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.inlineHeader =
        ByteBuffer.allocateDirect(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Starts writing {@code op}; the previous operation must have finished. */
  void start(OpId op, StreamPlan plan, Payload payload) {
    lock.lock();
    try {
      items.clear();
      total = plan.sendBytes();
      sentInline = 0;
      sentBySender = 0;
      partial = null;
      failure = null;
      finished = false;
      lastProgressNanos = System.nanoTime();
      job = new Job(op, plan, payload);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void enqueue(Item item) {
    lock.lock();
    try {
      items.add(item);
      if (waitingForItems) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The operation's frames are all written (or it failed: see {@link #failure()}). */
  boolean finished() {
    return finished;
  }

  Throwable failure() {
    return failure;
  }

  /** Idle between frames, waiting for the receiver to hand over the next. */
  boolean waitingForItems() {
    return waitingForItems;
  }

  /**
   * Waiting for items while bytes of the send stream are still unwritten: the successor is owed
   * more. (Waiting alone does not say so: the receiver may just have written the last frame.)
   */
  boolean owesMore() {
    lock.lock();
    try {
      return waitingForItems && sentBySender + sentInline < total;
    } finally {
      lock.unlock();
    }
  }

  /** A frame is partly written and the successor is not reading. */
  boolean blockedWriting() {
    return blockedWriting;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  /**
   * Stops the current operation and waits (at most {@code nanos}) until the thread no longer
   * touches the channel; true once it has stopped.
   */
  boolean cancel(long nanos) {
    lock.lock();
    try {
      cancelled = true;
      changed.signalAll();
      selector.wakeup();
      long left = nanos;
      while (!finished && left > 0) {
        left = changed.awaitNanos(left);
      }
      return finished;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** After a cancel: what is left of the frame cut short mid-write, or null when none was. */
  ByteBuffer[] partialFrame() {
    return partial;
  }

  void shutdown() {
    lock.lock();
    try {
      shutdown = true;
      cancelled = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RingConnector.closeQuietly(selector);
  }

  @Override
  public void run() {
    while (true) {
      Job next;
      lock.lock();
      try {
        while (job == null && !shutdown) {
          changed.awaitUninterruptibly();
        }
        if (shutdown) {
          return;
        }
        next = job;
      } finally {
        lock.unlock();
      }
      Throwable error = null;
      try {
        write(next);
      } catch (Cancelled c) {
        // The receiver is failing the operation and will explain why.
      } catch (IOException | RuntimeException | Error e) {
        error = e;
      }
      lock.lock();
      try {
        if (partial == null && items.peek() instanceof Remainder rest) {
          partial = rest.buffers(); // a frame the receiver began is still half-sent
        }
        job = null;
        failure = error;
        waitingForItems = false;
        blockedWriting = false;
        finished = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      wakeReceiver.run();
    }
  }

  private void write(Job job) throws IOException, Cancelled {
    OpId op = job.op();
    writeHeader(op, Frame.Kind.START, true);
    long allowance = job.plan().allowance();
    long sent = 0;
    long own = 0;
    List<StreamPlan.Range> sends = job.plan().sends();
    int range = 0;
    long rangeOffset = 0;
    while (true) {
      Item item = own < allowance ? poll() : take(sent);
      if (item == null && own >= allowance) {
        return; // everything is written, partly by the receiver
      }
      if (item instanceof Remainder rest) {
        writeFully(rest.buffers()[0], rest.buffers()[1], true);
        if (rest.release() != null) {
          pool.release(rest.release());
        }
      } else if (item instanceof Forward forward) {
        ByteBuffer frame = forward.frame();
        int len = frame.remaining() - Frame.HEADER_BYTES;
        writeFully(frame, null, true);
        pool.release(frame);
        sent += len;
      } else if (item instanceof Resend resend) {
        send(op, job.payload(), resend.at(), resend.payloadOffset(), resend.bytes());
        sent += resend.bytes();
      } else if (item instanceof Stalled) {
        writeHeader(op, Frame.Kind.STALLED, false);
      } else {
        StreamPlan.Range r = sends.get(range);
        if (rangeOffset == r.bytes()) {
          range++;
          rangeOffset = 0;
          continue;
        }
        int len = (int) Math.min(segmentBytes, Math.min(r.bytes() - rangeOffset, allowance - own));
        send(op, job.payload(), own, r.offset() + rangeOffset, len);
        own += len;
        sent += len;
        rangeOffset += len;
      }
    }
  }

  private void writeHeader(OpId op, Frame.Kind kind, boolean progress)
      throws IOException, Cancelled {
    headerBuf.clear();
    Frame.putHeader(headerBuf, kind, op, op.param(), 0);
    headerBuf.flip();
    writeFully(headerBuf, null, progress);
  }

  /** One DATA frame from the payload: straight from its memory when it has any, else encoded. */
  private void send(OpId op, Payload payload, long at, long payloadOffset, int len)
      throws IOException, Cancelled {
    ByteBuffer body = payload.slice(payloadOffset, len);
    if (body != null) {
      headerBuf.clear();
      Frame.putHeader(headerBuf, Frame.Kind.DATA, op, op.param(), len, at);
      headerBuf.flip();
      writeFully(headerBuf, body, true);
    } else {
      encodeBuf.clear();
      Frame.putHeader(encodeBuf, Frame.Kind.DATA, op, op.param(), len, at);
      payload.read(payloadOffset, encodeBuf, len);
      encodeBuf.flip();
      writeFully(encodeBuf, null, true);
    }
  }

  /**
   * Writes a frame from the receiver's thread, saving a thread hand-over per frame, when the sender
   * is idle with nothing queued (it cannot move while this holds the lock). Writes what the socket
   * takes now and queues the rest for the sender. False when the sender is busy and the caller
   * should {@link #enqueue} instead.
   *
   * @param frame a complete pooled frame, released to the pool once written; or null to send {@code
   *     body} (payload memory) under a DATA header for {@code op} at offset {@code at}
   */
  boolean tryInline(ByteBuffer frame, OpId op, long at, ByteBuffer body, int payloadBytes)
      throws IOException {
    lock.lock();
    try {
      if (!waitingForItems || !items.isEmpty() || cancelled) {
        return false;
      }
      ByteBuffer[] buffers;
      if (frame != null) {
        buffers = new ByteBuffer[] {frame, EMPTY};
      } else {
        // Free to reuse: a remainder that used it has been written, or the queue would not be
        // empty with the sender waiting.
        inlineHeader.clear();
        Frame.putHeader(inlineHeader, Frame.Kind.DATA, op, op.param(), payloadBytes, at);
        inlineHeader.flip();
        buffers = new ByteBuffer[] {inlineHeader, body};
      }
      long left = buffers[0].remaining() + (long) buffers[1].remaining();
      long n;
      while (left > 0 && (n = channel.write(buffers)) > 0) {
        left -= n;
        lastProgressNanos = System.nanoTime();
      }
      sentInline += payloadBytes;
      if (left > 0) {
        items.add(new Remainder(buffers, frame));
        changed.signalAll();
      } else {
        if (frame != null) {
          pool.release(frame);
        }
        if (sentBySender + sentInline >= total) {
          changed.signalAll(); // the sender is waiting for bytes that are now all written
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private Item poll() {
    lock.lock();
    try {
      return items.poll();
    } finally {
      lock.unlock();
    }
  }

  /** The next item, waiting for one; null once the send stream is complete. */
  private Item take(long sent) throws Cancelled {
    lock.lock();
    try {
      while (true) {
        if (cancelled) {
          throw new Cancelled();
        }
        Item item = items.poll();
        if (item != null) {
          waitingForItems = false;
          return item;
        }
        if (sent + sentInline >= total) {
          waitingForItems = false;
          return null;
        }
        sentBySender = sent;
        waitingForItems = true;
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writes {@code head} then {@code body} (if any) in full, as one gathering write. */
  private void writeFully(ByteBuffer head, ByteBuffer body, boolean progress)
      throws IOException, Cancelled {
    if (cancelled) {
      throw new Cancelled();
    }
    gather[0] = head;
    gather[1] = body == null ? EMPTY : body;
    long size = head.remaining() + (long) gather[1].remaining();
    long written = 0;
    while (written < size) {
      long n = channel.write(gather);
      if (n > 0) {
        written += n;
        blockedWriting = false;
        if (progress) {
          lastProgressNanos = System.nanoTime();
        }
        continue;
      }
      blockedWriting = true;
      key.interestOps(SelectionKey.OP_WRITE);
      selector.select(100);
      selector.selectedKeys().clear();
      key.interestOps(0);
      if (cancelled) {
        partial = written > 0 ? new ByteBuffer[] {gather[0], gather[1]} : null;
        throw new Cancelled();
      }
    }
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
}
