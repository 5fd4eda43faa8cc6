package io.nautilus.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code W} ranks joined in a TCP ring, with the collectives data-parallel training needs.
 *
 * <p>Each rank opens a listener ({@link #listen}), the ranks exchange their {@code host:port}
 * strings (a Spark barrier stage does it with {@code BarrierTaskContext.allGather}), and each calls
 * {@link #connect} with its rank and the full list: rank {@code r} dials rank {@code r+1} and
 * accepts rank {@code r-1}. The handshake checks the session id, world size, rank and segment size,
 * so a rank of another run or a stray caller is refused with the reason.
 *
 * <p>Every rank must call the same collectives in the same order with the same sizes; each frame
 * names its operation, so a rank that does not fails every rank with a message naming both calls.
 * Operations are synchronous, not thread-safe beyond one caller at a time (methods are
 * synchronized), and bounded: a rank that dies, closes, hangs or never arrives fails the operation
 * within the timeout on every rank with a {@link CollectiveException} naming it ({@link
 * CollectiveException#failedRank()}). After a failure the group is unusable; close it and form a
 * new one.
 *
 * <p>With {@code W = 1} there are no sockets and every operation returns at once.
 */
public final class ProcessGroup implements AutoCloseable {
  private final int rank;
  private final int world;
  private final List<Peer> peers;
  private final String sessionId;
  private final Ring ring;
  private int seq;
  private boolean closed;

  private ProcessGroup(int rank, List<Peer> peers, String sessionId, Ring ring) {
    this.rank = rank;
    this.world = peers.size();
    this.peers = peers;
    this.sessionId = sessionId;
    this.ring = ring;
  }

  /**
   * Opens a listener on {@code host} (an address of this machine; {@code 0.0.0.0} for all) and
   * {@code port} ({@code 0} for a free one), to publish as {@code host:port} before {@link
   * #connect}.
   */
  public static ServerSocketChannel listen(String host, int port) {
    Objects.requireNonNull(host, "host is null");
    ServerSocketChannel listener = null;
    try {
      listener = ServerSocketChannel.open();
      listener.bind(new InetSocketAddress(host, port), 64);
      return listener;
    } catch (IOException e) {
      RingConnector.closeQuietly(listener);
      throw new UncheckedIOException(
          "Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} for a listener opened by {@link #listen}, as peers should dial it. */
  public static String advertisedAddress(String host, ServerSocketChannel listener) {
    return new Peer(0, host, listener.socket().getLocalPort()).address();
  }

  /**
   * Joins the ring with default options except the connect timeout. The session id is derived from
   * {@code hostPorts}.
   */
  public static ProcessGroup connect(
      int rank, List<String> hostPorts, ServerSocketChannel listener, Duration connectTimeout) {
    return connect(
        rank,
        hostPorts,
        listener,
        GroupOptions.builder().optConnectTimeout(connectTimeout).build());
  }

  /** Joins the ring listening on {@code port} of all interfaces. */
  public static ProcessGroup connect(
      int rank, List<String> hostPorts, int port, Duration connectTimeout) {
    ServerSocketChannel listener = hostPorts.size() == 1 ? null : listen("0.0.0.0", port);
    return connect(rank, hostPorts, listener, connectTimeout);
  }

  /**
   * Joins the ring as {@code rank} of {@code hostPorts.size()} ranks. Takes ownership of {@code
   * listener} (which may be null when there is one rank) and closes it once the ring is formed or
   * has failed to form.
   *
   * @throws CollectiveException when a peer refuses the handshake, or a neighbour does not appear
   *     within the connect timeout
   */
  public static ProcessGroup connect(
      int rank, List<String> hostPorts, ServerSocketChannel listener, GroupOptions options) {
    Objects.requireNonNull(hostPorts, "hostPorts is null");
    Objects.requireNonNull(options, "options is null");
    if (hostPorts.isEmpty() || rank < 0 || rank >= hostPorts.size()) {
      RingConnector.closeQuietly(listener);
      throw new IllegalArgumentException(
          "Cannot connect rank "
              + rank
              + ": it must be in 0.."
              + (hostPorts.size() - 1)
              + " for "
              + hostPorts.size()
              + " addresses");
    }
    List<Peer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < hostPorts.size(); i++) {
        peers.add(Peer.parse(i, hostPorts.get(i)));
      }
    } catch (IllegalArgumentException e) {
      RingConnector.closeQuietly(listener);
      throw e;
    }
    String session = options.sessionIdFor(hostPorts);
    if (peers.size() == 1) {
      RingConnector.closeQuietly(listener);
      return new ProcessGroup(rank, List.copyOf(peers), session, null);
    }
    Objects.requireNonNull(listener, "listener is null");
    Ring ring = RingConnector.connect(peers, rank, listener, session, options);
    return new ProcessGroup(rank, List.copyOf(peers), session, ring);
  }

  public int rank() {
    return rank;
  }

  public int worldSize() {
    return world;
  }

  public String sessionId() {
    return sessionId;
  }

  /**
   * Replaces {@code data} on every rank by the element-wise sum over ranks, bit-identical on all
   * ranks.
   *
   * <p>The summation order is fixed by the world size and the length: the array is cut into {@code
   * W} chunks ({@code length % W} of them one element longer, the longer ones first), and every
   * element of chunk {@code c} is summed as {@code ((x[c] + x[c+1]) + x[c+2]) + … + x[c+W-1]}, rank
   * indices mod {@code W}, where {@code x[k]} is rank {@code k}'s value. (Chunk {@code c} starts at
   * rank {@code c} and gathers one addend per ring step; its last adder, rank {@code c-1}, sends
   * the result round unchanged.)
   */
  public void allReduceSum(float[] data) {
    allReduceSum(data, 0, Objects.requireNonNull(data, "data is null").length);
  }

  /** {@link #allReduceSum(float[])} over {@code data[offset, offset + length)}. */
  public synchronized void allReduceSum(float[] data, int offset, int length) {
    Objects.requireNonNull(data, "data is null");
    Objects.checkFromIndexSize(offset, length, data.length);
    OpId op = begin(OpCode.ALL_REDUCE, length, 0);
    if (ring != null) {
      execute(
          op,
          StreamPlan.allReduce(rank, world, length),
          new FloatArrayPayload(data, offset, ring.scratch));
    }
  }

  /** {@link #allReduceSum(float[])}, then every element divided by {@code W}. */
  public void allReduceMean(float[] data) {
    allReduceMean(data, 0, Objects.requireNonNull(data, "data is null").length);
  }

  /** {@link #allReduceMean(float[])} over {@code data[offset, offset + length)}. */
  public synchronized void allReduceMean(float[] data, int offset, int length) {
    allReduceSum(data, offset, length);
    float w = world;
    for (int i = offset; i < offset + length; i++) {
      data[i] /= w;
    }
  }

  /**
   * {@link #allReduceSum(float[])} over the little-endian floats in {@code [position, limit)} of
   * {@code data}, whose position and limit are left alone. A direct buffer (such as DJL's {@code
   * NDArray.toByteBuffer()}, native order on x86-64 and aarch64) is sent from and gathered into in
   * place, without copies to the heap.
   *
   * @throws IllegalArgumentException when {@code data} is read-only, not little-endian, or holds a
   *     number of bytes that is not a multiple of 4
   */
  public synchronized void allReduceSum(ByteBuffer data) {
    checkFloats("all-reduce", data);
    int length = data.remaining() / 4;
    OpId op = begin(OpCode.ALL_REDUCE, length, 0);
    if (ring != null) {
      execute(
          op,
          StreamPlan.allReduce(rank, world, length),
          new ByteBufferPayload(data, ring.scratch, ring.scratch2));
    }
  }

  /** {@link #allReduceSum(ByteBuffer)}, then every element divided by {@code W}. */
  public synchronized void allReduceMean(ByteBuffer data) {
    allReduceSum(data);
    FloatBuffer floats = data.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float w = world;
    for (int i = 0; i < floats.limit(); i++) {
      floats.put(i, floats.get(i) / w);
    }
  }

  /** Copies {@code root}'s {@code data} into {@code data} on every other rank. */
  public synchronized void broadcast(float[] data, int root) {
    Objects.requireNonNull(data, "data is null");
    checkRoot(root);
    OpId op = begin(OpCode.BROADCAST, data.length, root);
    if (ring != null) {
      execute(
          op,
          StreamPlan.broadcast(rank, world, root, 4L * data.length),
          new FloatArrayPayload(data, 0, ring.scratch));
    }
  }

  /**
   * {@link #broadcast(float[], int)} over the little-endian floats in {@code [position, limit)} of
   * {@code data} (see {@link #allReduceSum(ByteBuffer)}).
   */
  public synchronized void broadcast(ByteBuffer data, int root) {
    checkFloats("broadcast", data);
    checkRoot(root);
    int length = data.remaining() / 4;
    OpId op = begin(OpCode.BROADCAST, length, root);
    if (ring != null) {
      execute(
          op,
          StreamPlan.broadcast(rank, world, root, 4L * length),
          new ByteBufferPayload(data, ring.scratch, ring.scratch2));
    }
  }

  /**
   * Every rank's {@code item}, indexed by rank (items may differ in length; the total must stay
   * under 2 GiB).
   */
  public synchronized List<byte[]> allGather(byte[] item) {
    Objects.requireNonNull(item, "item is null");
    if (ring == null) {
      begin(OpCode.ALL_GATHER_SIZES, 4, 0);
      return List.of(item.clone());
    }
    byte[] sizeBytes = gatherFixed(OpCode.ALL_GATHER_SIZES, 0, littleEndian(4).putInt(item.length));
    ByteBuffer sizes = ByteBuffer.wrap(sizeBytes).order(ByteOrder.LITTLE_ENDIAN);
    long[] offsets = new long[world];
    long[] lengths = new long[world];
    long total = 0;
    for (int i = 0; i < world; i++) {
      offsets[i] = total;
      lengths[i] = sizes.getInt(4 * i);
      total += lengths[i];
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "Cannot all-gather " + total + " bytes: the items of all ranks must total under 2 GiB");
    }
    byte[] flat = new byte[(int) total];
    System.arraycopy(item, 0, flat, (int) offsets[rank], item.length);
    OpId op = begin(OpCode.ALL_GATHER, total, 0);
    execute(op, StreamPlan.allGather(rank, world, offsets, lengths), new BytePayload(flat));
    List<byte[]> items = new ArrayList<>(world);
    for (int i = 0; i < world; i++) {
      int from = (int) offsets[i];
      items.add(java.util.Arrays.copyOfRange(flat, from, from + (int) lengths[i]));
    }
    return items;
  }

  /** Returns once every rank has called it. */
  public synchronized void barrier() {
    if (ring == null) {
      begin(OpCode.BARRIER, 1, 0);
      return;
    }
    gatherFixed(OpCode.BARRIER, 0, ByteBuffer.allocate(1));
  }

  /** {@link #allReduceScalar(double, ScalarOp)} with {@link ScalarOp#SUM}. */
  public double allReduceScalar(double value) {
    return allReduceScalar(value, ScalarOp.SUM);
  }

  /**
   * Combines one value per rank, folding in rank order {@code 0, 1, …, W-1} on every rank, so the
   * result has the same bits everywhere (a global gradient norm, a NaN flag via {@link
   * ScalarOp#MAX}, agreement on a step number).
   */
  public synchronized double allReduceScalar(double value, ScalarOp op) {
    Objects.requireNonNull(op, "op is null");
    if (ring == null) {
      begin(OpCode.SCALAR, 8, op.ordinal());
      return value;
    }
    byte[] all = gatherFixed(OpCode.SCALAR, op.ordinal(), littleEndian(8).putDouble(value));
    ByteBuffer values = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    double result = values.getDouble(0);
    for (int i = 1; i < world; i++) {
      result = op.combine(result, values.getDouble(8 * i));
    }
    return result;
  }

  /** Closes the connections; peers still expecting data see this rank close. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (ring != null) {
      ring.close();
    }
  }

  @Override
  public String toString() {
    return "ProcessGroup[" + peers.get(rank) + " of " + world + ", session " + sessionId + "]";
  }

  /** Test hook: drops the connections without a word, as a crashed process would. */
  void closeAbruptly() {
    if (ring != null) {
      RingConnector.closeQuietly(ring.toNext);
      RingConnector.closeQuietly(ring.fromPrev);
    }
  }

  private OpId begin(OpCode code, long size, int param) {
    OpId op = new OpId(++seq, code, size, param);
    if (ring != null) {
      ring.checkUsable(op);
    } else if (closed) {
      throw new IllegalStateException(
          "Cannot " + op.describe() + ": the process group of " + peers.get(rank) + " is closed");
    }
    return op;
  }

  /** A ring all-gather of equal-sized items; returns the items of all ranks end to end. */
  private byte[] gatherFixed(OpCode code, int param, ByteBuffer item) {
    int size = item.capacity();
    OpId op = begin(code, (long) size * world, param);
    byte[] flat = new byte[size * world];
    System.arraycopy(item.array(), 0, flat, size * rank, size);
    long[] offsets = new long[world];
    long[] sizes = new long[world];
    for (int i = 0; i < world; i++) {
      offsets[i] = (long) size * i;
      sizes[i] = size;
    }
    execute(op, StreamPlan.allGather(rank, world, offsets, sizes), new BytePayload(flat));
    return flat;
  }

  private void execute(OpId op, StreamPlan plan, Payload payload) {
    try {
      ring.run(op, plan, payload);
    } catch (CollectiveException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      // A bug or an out-of-memory mid-operation: the peers must hear of it rather than hang.
      String what = peers.get(rank) + " failed: " + e;
      ring.abort(
          op,
          rank,
          what + " (reported by rank " + rank + ")",
          null,
          new CollectiveException("Cannot " + op.describe() + ": " + what, rank, e));
      throw e;
    }
  }

  private void checkRoot(int root) {
    if (root < 0 || root >= world) {
      throw new IllegalArgumentException(
          "Cannot broadcast from rank " + root + ": it must be in 0.." + (world - 1));
    }
  }

  private static void checkFloats(String what, ByteBuffer data) {
    Objects.requireNonNull(data, "data is null");
    String problem =
        data.isReadOnly()
            ? "it is read-only"
            : data.order() != ByteOrder.LITTLE_ENDIAN
                ? "it is big-endian; the ring carries little-endian floats (set"
                    + " order(ByteOrder.LITTLE_ENDIAN) if the data is)"
                : data.remaining() % 4 != 0
                    ? "its " + data.remaining() + " remaining bytes are not whole floats"
                    : null;
    if (problem != null) {
      throw new IllegalArgumentException("Cannot " + what + " the buffer: " + problem);
    }
  }

  private static ByteBuffer littleEndian(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
