package io.nautilus.dist;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forms the ring: rank {@code r} dials rank {@code r+1} (retrying while it starts) and, at the same
 * time, accepts rank {@code r-1} on its listener, refusing any other caller and waiting on for the
 * right one until the deadline.
 */
final class RingConnector {
  /** A caller that connects but says nothing may hold the listener this long at most. */
  private static final Duration HELLO_LIMIT = Duration.ofSeconds(10);

  private static final long RETRY_MIN_MS = 20;
  private static final long RETRY_MAX_MS = 500;

  private final Peer self;
  private final Peer prev;
  private final Peer next;
  private final Handshake.Hello hello;
  private final Duration timeout;
  private final long deadline;

  private RingConnector(Peer self, Peer prev, Peer next, Handshake.Hello hello, Duration timeout) {
    this.self = self;
    this.prev = prev;
    this.next = next;
    this.hello = hello;
    this.timeout = timeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  /** Connects {@code self} into the ring of {@code peers}; closes {@code listener} in all cases. */
  static Ring connect(
      List<Peer> peers,
      int rank,
      ServerSocketChannel listener,
      String session,
      GroupOptions options) {
    int world = peers.size();
    Peer self = peers.get(rank);
    Peer prev = peers.get(Math.floorMod(rank - 1, world));
    Peer next = peers.get((rank + 1) % world);
    Handshake.Hello hello = new Handshake.Hello(session, world, rank, options.segmentBytes());
    RingConnector connector = new RingConnector(self, prev, next, hello, options.connectTimeout());
    return connector.run(listener, options);
  }

  private Ring run(ServerSocketChannel listener, GroupOptions options) {
    CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
    Thread acceptor =
        new Thread(
            () -> {
              try {
                accepted.complete(acceptPrev(listener));
              } catch (Throwable t) {
                accepted.completeExceptionally(t);
              }
            },
            "nautilus-dist-accept-rank-" + self.rank());
    acceptor.setDaemon(true);
    acceptor.start();
    SocketChannel toNext = null;
    SocketChannel fromPrev = null;
    try {
      toNext = dialNext();
      fromPrev = awaitAccepted(accepted);
      Ring ring = new Ring(self, prev, next, fromPrev, toNext, options);
      fromPrev = null;
      toNext = null;
      return ring;
    } finally {
      closeQuietly(listener);
      closeQuietly(toNext);
      closeQuietly(fromPrev);
      // An accept that completes after a failure must not leak its channel.
      accepted.thenAccept(RingConnector::closeIfUnused);
    }
  }

  private static void closeIfUnused(SocketChannel ch) {
    if (ch.isOpen() && !ch.isRegistered()) {
      closeQuietly(ch);
    }
  }

  private SocketChannel awaitAccepted(CompletableFuture<SocketChannel> accepted) {
    try {
      long left = Math.max(0, deadline - System.nanoTime());
      // The acceptor keeps its own deadline; the margin only guards against a bug there.
      return accepted.get(left + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CollectiveException ce) {
        throw new CollectiveException(ce.getMessage(), ce.failedRank(), ce);
      }
      throw new CollectiveException(
          "Cannot connect " + self + " to " + prev + ": " + e.getCause(), prev.rank(), e);
    } catch (TimeoutException e) {
      throw new CollectiveException(
          "Cannot connect " + self + ": the acceptor thread did not finish", prev.rank(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException(
          "Cannot connect " + self + ": interrupted", CollectiveException.UNKNOWN_RANK, e);
    }
  }

  private SocketChannel dialNext() {
    long backoff = RETRY_MIN_MS;
    IOException last = null;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new CollectiveException(
            "Cannot connect "
                + self
                + " to "
                + next
                + ": timed out after "
                + Durations.format(timeout)
                + (last == null ? "" : " (last attempt: " + last.getMessage() + ")"),
            next.rank());
      }
      SocketChannel ch = null;
      try {
        ch = SocketChannel.open();
        ch.socket().connect(next.socketAddress(), millis(left));
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Handshake.writeHello(ch, hello);
        Handshake.Reply reply = Handshake.readReply(ch, Duration.ofNanos(left));
        checkReply(reply);
        SocketChannel connected = ch;
        ch = null;
        return connected;
      } catch (UnknownHostException e) {
        throw new CollectiveException(
            "Cannot connect " + self + " to " + next + ": unknown host '" + next.host() + "'",
            next.rank(),
            e);
      } catch (ProtocolException e) {
        throw new CollectiveException(
            "Cannot connect " + self + " to " + next + ": " + e.getMessage(), next.rank(), e);
      } catch (SocketTimeoutException e) {
        last = e;
      } catch (ConnectException e) {
        // Refused: the peer has not opened its listener yet.
        last = e;
        sleep(Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(Math.max(left, 0)) + 1));
        backoff = Math.min(2 * backoff, RETRY_MAX_MS);
      } catch (IOException e) {
        // Reset or closed during the handshake: the peer may be restarting; try again.
        last = e;
        sleep(Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(Math.max(left, 0)) + 1));
        backoff = Math.min(2 * backoff, RETRY_MAX_MS);
      } finally {
        closeQuietly(ch);
      }
    }
  }

  private void checkReply(Handshake.Reply reply) {
    if (reply.refusal() != null) {
      throw new CollectiveException(
          "Cannot connect "
              + self
              + " to "
              + next
              + ": the peer refused the handshake: "
              + reply.refusal(),
          next.rank());
    }
    Handshake.Hello other = reply.acceptor();
    String mismatch = null;
    if (!other.session().equals(hello.session()) || other.world() != hello.world()) {
      mismatch = "it belongs to session '" + other.session() + "' of " + other.world() + " ranks";
    } else if (other.rank() != next.rank()) {
      mismatch = "it is rank " + other.rank();
    }
    if (mismatch != null) {
      throw new CollectiveException(
          "Cannot connect " + self + " to " + next + ": " + mismatch, next.rank());
    }
  }

  private SocketChannel acceptPrev(ServerSocketChannel listener) throws IOException {
    List<String> refused = new ArrayList<>();
    listener.configureBlocking(true);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new CollectiveException(
            "Cannot connect "
                + self
                + ": timed out after "
                + Durations.format(timeout)
                + " waiting for "
                + prev
                + " to connect"
                + (refused.isEmpty() ? "" : "; refused: " + String.join("; ", refused)),
            prev.rank());
      }
      listener.socket().setSoTimeout(millis(left));
      SocketChannel ch;
      try {
        ch = listener.socket().accept().getChannel();
      } catch (SocketTimeoutException e) {
        continue;
      }
      String caller = String.valueOf(ch.getRemoteAddress());
      try {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Duration limit = Duration.ofNanos(Math.min(left, HELLO_LIMIT.toNanos()));
        Handshake.Hello other = Handshake.readHello(ch, limit);
        String mismatch = hello.mismatch(other, prev.rank());
        Handshake.writeReply(ch, hello, mismatch);
        if (mismatch == null) {
          SocketChannel accepted = ch;
          ch = null;
          return accepted;
        }
        refused.add(caller + ": " + mismatch);
      } catch (IOException e) {
        refused.add(caller + ": " + e.getMessage());
      } finally {
        closeQuietly(ch);
      }
    }
  }

  private static int millis(long nanos) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException(
          "Cannot connect to the ring: interrupted", CollectiveException.UNKNOWN_RANK, e);
    }
  }

  static void closeQuietly(java.io.Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // Nothing useful can be done about a failed close during clean-up.
      }
    }
  }
}
