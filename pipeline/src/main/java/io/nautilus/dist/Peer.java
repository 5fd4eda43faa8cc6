package io.nautilus.dist;

import java.net.InetSocketAddress;

/** One rank of the ring and the {@code host:port} it listens on, as given at rendezvous. */
record Peer(int rank, String host, int port) {

  /** Parses {@code host:port} or {@code [ipv6]:port}. */
  static Peer parse(int rank, String hostPort) {
    if (hostPort == null) {
      throw new IllegalArgumentException(
          "Cannot parse the address of rank " + rank + ": it is null");
    }
    int colon = hostPort.lastIndexOf(':');
    String host = colon > 0 ? hostPort.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "Cannot parse the address of rank "
              + rank
              + ": '"
              + hostPort
              + "' is not host:port with a port in 1..65535");
    }
    return new Peer(rank, host, port);
  }

  InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  String address() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** How every message names a rank: {@code rank 2 (10.0.0.7:40123)}. */
  @Override
  public String toString() {
    return "rank " + rank + " (" + address() + ")";
  }
}
