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
 * (which the caller's thread does). Per operation it writes a START frame, then encodes the rank's
 * own first step from the payload, then writes whatever the receiver hands it: frames to pass on as
 * they are, payload ranges to encode again, or a STALLED notice.
 *
 * <p>It never decides about timeouts: it records when it last moved a byte and whether it is stuck
 * mid-frame, and the receiver judges. Its writes are non-blocking, so a cancel takes effect at
 * once.
 */
final class Sender implements Runnable {

  /** Something to write after the operation's own first step. */
  sealed interface Item permits Forward, Encode, Stalled {}

  /** A complete pooled frame (header and payload), returned to the pool once written. */
  record Forward(ByteBuffer frame) implements Item {}

  /** Payload bytes {@code [offset, offset + bytes)} to encode as one frame. */
  record Encode(long offset, int bytes) implements Item {}

  /** A STALLED notice (not counted as progress). */
  record Stalled() implements Item {}

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
  private final ByteBuffer noticeBuf;
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
  private volatile ByteBuffer partial;

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
    this.noticeBuf = ByteBuffer.allocateDirect(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Starts writing {@code op}; the previous operation must have finished. */
  void start(OpId op, StreamPlan plan, Payload payload) {
    lock.lock();
    try {
      items.clear();
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
      changed.signalAll();
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

  /** After a cancel: the frame cut short mid-write, or null when none was. */
  ByteBuffer partialFrame() {
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
    noticeBuf.clear();
    Frame.putHeader(noticeBuf, Frame.Kind.START, op, op.param(), 0);
    noticeBuf.flip();
    writeFully(noticeBuf, true);
    long total = job.plan().sendBytes();
    long allowance = job.plan().allowance();
    long sent = 0;
    List<StreamPlan.Range> sends = job.plan().sends();
    int range = 0;
    long rangeOffset = 0;
    while (sent < allowance) {
      StreamPlan.Range r = sends.get(range);
      if (rangeOffset == r.bytes()) {
        range++;
        rangeOffset = 0;
        continue;
      }
      int len = (int) Math.min(segmentBytes, Math.min(r.bytes() - rangeOffset, allowance - sent));
      encode(op, job.payload(), r.offset() + rangeOffset, len);
      sent += len;
      rangeOffset += len;
    }
    while (sent < total) {
      Item item = take();
      if (item instanceof Forward forward) {
        ByteBuffer frame = forward.frame();
        int len = frame.remaining() - Frame.HEADER_BYTES;
        writeFully(frame, true);
        pool.release(frame);
        sent += len;
      } else if (item instanceof Encode encode) {
        encode(op, job.payload(), encode.offset(), encode.bytes());
        sent += encode.bytes();
      } else {
        noticeBuf.clear();
        Frame.putHeader(noticeBuf, Frame.Kind.STALLED, op, op.param(), 0);
        noticeBuf.flip();
        writeFully(noticeBuf, false);
      }
    }
  }

  private void encode(OpId op, Payload payload, long offset, int len)
      throws IOException, Cancelled {
    encodeBuf.clear();
    Frame.putHeader(encodeBuf, Frame.Kind.DATA, op, op.param(), len);
    payload.read(offset, encodeBuf, len);
    encodeBuf.flip();
    writeFully(encodeBuf, true);
  }

  private Item take() throws Cancelled {
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
        waitingForItems = true;
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  private void writeFully(ByteBuffer buf, boolean progress) throws IOException, Cancelled {
    if (cancelled) {
      throw new Cancelled();
    }
    while (buf.hasRemaining()) {
      if (channel.write(buf) > 0) {
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
        partial = buf.position() > 0 ? buf : null;
        throw new Cancelled();
      }
    }
  }
}
