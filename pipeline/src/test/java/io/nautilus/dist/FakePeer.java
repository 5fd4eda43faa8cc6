package io.nautilus.dist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A hand-written stand-in for a rank: it speaks the handshake and writes frames, but otherwise does
 * only what a test tells it, such as going silent mid-operation.
 */
final class FakePeer {
  private FakePeer() {}

  static Handshake.Hello hello(String session, int world, int rank) {
    return new Handshake.Hello(session, world, rank, GroupOptions.SEGMENT_BYTES_DEFAULT);
  }

  /** Accepts one caller on {@code listener} and agrees to whatever it says, as {@code self}. */
  static SocketChannel acceptAndAgree(ServerSocketChannel listener, Handshake.Hello self)
      throws IOException {
    SocketChannel ch = listener.accept();
    Handshake.readHello(ch, Duration.ofSeconds(5));
    Handshake.writeReply(ch, self, null);
    return ch;
  }

  /** What a dial to a rank got back, and the connection. */
  record Dialled(SocketChannel channel, Handshake.Reply reply) {}

  static Dialled dial(String hostPort, Handshake.Hello hello) throws IOException {
    Peer peer = Peer.parse(0, hostPort);
    SocketChannel ch = SocketChannel.open(new InetSocketAddress(peer.host(), peer.port()));
    Handshake.writeHello(ch, hello);
    return new Dialled(ch, Handshake.readReply(ch, Duration.ofSeconds(5)));
  }

  /** Writes a header-only frame, as a rank does to announce it has started {@code op}. */
  static void writeStart(SocketChannel ch, OpId op) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    Frame.putHeader(buf, Frame.Kind.START, op, op.param(), 0);
    buf.flip();
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** A port nothing listens on (it was free a moment ago). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
