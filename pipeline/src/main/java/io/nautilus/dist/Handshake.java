package io.nautilus.dist;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The first exchange on each ring connection: the connecting rank says who it is ({@link Hello}),
 * the accepting rank checks it and answers with a {@link Reply}. Both sides read with a bounded
 * timeout, so a silent or foreign peer cannot stall the set-up.
 */
final class Handshake {
  static final int MAGIC = 0x4e52494e; // "NRIN"
  static final int VERSION = 1;

  /** Who a rank is and what it expects the group to be. */
  record Hello(String session, int world, int rank, int segmentBytes) {

    /** Why {@code other} may not join this rank's group, or null when it may. */
    String mismatch(Hello other, int expectedRank) {
      if (!session.equals(other.session)) {
        return "session '"
            + other.session
            + "' does not match this group's session '"
            + session
            + "' (a rank of another run?)";
      }
      if (world != other.world) {
        return "world size " + other.world + " does not match this group's world size " + world;
      }
      if (other.rank != expectedRank) {
        return "rank "
            + other.rank
            + " connected, but rank "
            + rank
            + " accepts only rank "
            + expectedRank
            + ", its predecessor in the ring";
      }
      if (segmentBytes != other.segmentBytes) {
        return "segment size "
            + other.segmentBytes
            + " does not match this group's segment size "
            + segmentBytes;
      }
      return null;
    }
  }

  /** The accepting rank's answer: who it is, and the reason it refused, or null. */
  record Reply(Hello acceptor, String refusal) {}

  private Handshake() {}

  static void writeHello(SocketChannel ch, Hello hello) throws IOException {
    write(
        ch,
        out -> {
          out.writeInt(MAGIC);
          out.writeInt(VERSION);
          writeHelloBody(out, hello);
        });
  }

  static Hello readHello(SocketChannel ch, Duration limit) throws IOException {
    DataInputStream in = input(ch, limit);
    checkMagic(in);
    return readHelloBody(in);
  }

  static void writeReply(SocketChannel ch, Hello self, String refusal) throws IOException {
    write(
        ch,
        out -> {
          out.writeInt(MAGIC);
          out.writeInt(VERSION);
          writeHelloBody(out, self);
          out.writeBoolean(refusal != null);
          out.writeUTF(refusal == null ? "" : refusal);
        });
  }

  static Reply readReply(SocketChannel ch, Duration limit) throws IOException {
    DataInputStream in = input(ch, limit);
    checkMagic(in);
    Hello acceptor = readHelloBody(in);
    boolean refused = in.readBoolean();
    String refusal = in.readUTF();
    return new Reply(acceptor, refused ? refusal : null);
  }

  private static void writeHelloBody(DataOutputStream out, Hello hello) throws IOException {
    out.writeUTF(hello.session());
    out.writeInt(hello.world());
    out.writeInt(hello.rank());
    out.writeInt(hello.segmentBytes());
  }

  private static Hello readHelloBody(DataInputStream in) throws IOException {
    String session = in.readUTF();
    int world = in.readInt();
    int rank = in.readInt();
    int segment = in.readInt();
    return new Hello(session, world, rank, segment);
  }

  private static void checkMagic(DataInputStream in) throws IOException {
    int magic = in.readInt();
    int version = in.readInt();
    if (magic != MAGIC) {
      throw new ProtocolException(
          String.format(
              "it is not a Nautilus process group peer (it sent 0x%08x, expected 0x%08x)",
              magic, MAGIC));
    }
    if (version != VERSION) {
      throw new ProtocolException(
          "it speaks protocol version " + version + ", this rank speaks " + VERSION);
    }
  }

  /**
   * Reads through the socket adaptor, which honours SO_TIMEOUT; unbuffered, so nothing past the
   * handshake is consumed.
   */
  private static DataInputStream input(SocketChannel ch, Duration limit) throws IOException {
    ch.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.toMillis())));
    return new DataInputStream(ch.socket().getInputStream());
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void write(SocketChannel ch, Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a handshake in memory", e);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
    while (buf.hasRemaining()) {
      ch.write(buf); // blocking mode: a handshake is a few hundred bytes
    }
  }
}
