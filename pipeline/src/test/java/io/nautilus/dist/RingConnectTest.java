package io.nautilus.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RingConnectTest {

  private static GroupOptions options(String session, Duration connect) {
    return GroupOptions.builder().optSessionId(session).optConnectTimeout(connect).build();
  }

  @Test
  void aRankOfAnotherSessionIsRefusedAtOnceWithTheReason() throws Exception {
    // Rank 2 is a fake that lets rank 1 in, so rank 1 keeps listening for rank 0 all along.
    List<ServerSocketChannel> listeners = Ranks.listeners(3);
    List<String> addresses = Ranks.addresses(listeners);
    CompletableFuture<SocketChannel> fake =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return FakePeer.acceptAndAgree(listeners.get(2), FakePeer.hello("run-b", 3, 2));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<Ranks.Outcome<ProcessGroup>> outcomes =
        Ranks.inParallel(
            2,
            rank ->
                ProcessGroup.connect(
                    rank,
                    addresses,
                    listeners.get(rank),
                    rank == 0
                        ? options("run-a", Duration.ofSeconds(5))
                        : options("run-b", Duration.ofMillis(1500))));
    String refusal =
        "session 'run-a' does not match this group's session 'run-b' (a rank of another run?)";
    Throwable error = outcomes.get(0).error();
    assertThat(error)
        .isInstanceOf(CollectiveException.class)
        .hasMessage(
            "Cannot connect rank 0 ("
                + addresses.get(0)
                + ") to rank 1 ("
                + addresses.get(1)
                + "): the peer refused the handshake: "
                + refusal);
    assertThat(((CollectiveException) error).failedRank()).isEqualTo(1);
    assertThat(outcomes.get(0).seconds()).isLessThan(1);
    assertThat(outcomes.get(1).error())
        .isInstanceOf(CollectiveException.class)
        .hasMessageStartingWith(
            "Cannot connect rank 1 ("
                + addresses.get(1)
                + "): timed out after 1.5 s waiting for rank 0 ("
                + addresses.get(0)
                + ") to connect; refused: /127.0.0.1:")
        .hasMessageEndingWith(": " + refusal);
    fake.join().close();
    listeners.get(2).close();
  }

  @Test
  void strayCallersAreRefusedWithTheReasonAndListedWhenThePredecessorNeverComes() throws Exception {
    List<ServerSocketChannel> listeners = Ranks.listeners(3);
    List<String> addresses = Ranks.addresses(listeners);
    ServerSocketChannel fakeRank2 = listeners.get(2);
    CompletableFuture<SocketChannel> agreed =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return FakePeer.acceptAndAgree(fakeRank2, FakePeer.hello("run", 3, 2));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    CompletableFuture<ProcessGroup> rank1 =
        CompletableFuture.supplyAsync(
            () ->
                ProcessGroup.connect(
                    1, addresses, listeners.get(1), options("run", Duration.ofMillis(1500))));

    Handshake.Reply wrongRank =
        FakePeer.dial(addresses.get(1), FakePeer.hello("run", 3, 2)).reply();
    Handshake.Reply wrongWorld =
        FakePeer.dial(addresses.get(1), FakePeer.hello("run", 4, 0)).reply();
    Handshake.Reply wrongSegment =
        FakePeer.dial(addresses.get(1), new Handshake.Hello("run", 3, 0, 4096)).reply();

    assertThat(wrongRank.refusal())
        .isEqualTo("rank 2 connected, but rank 1 accepts only rank 0, its predecessor in the ring");
    assertThat(wrongWorld.refusal())
        .isEqualTo("world size 4 does not match this group's world size 3");
    assertThat(wrongSegment.refusal())
        .isEqualTo("segment size 4096 does not match this group's segment size 1048576");
    assertThat(wrongRank.acceptor()).isEqualTo(FakePeer.hello("run", 3, 1));
    assertThatThrownBy(rank1::join)
        .cause()
        .isInstanceOf(CollectiveException.class)
        .hasMessageStartingWith(
            "Cannot connect rank 1 ("
                + addresses.get(1)
                + "): timed out after 1.5 s waiting for rank 0 ("
                + addresses.get(0)
                + ") to connect; refused: /127.0.0.1:")
        .hasMessageContaining(
            ": rank 2 connected, but rank 1 accepts only rank 0, its predecessor in the ring; /")
        .hasMessageContaining(": world size 4 does not match this group's world size 3; /")
        .hasMessageEndingWith(
            ": segment size 4096 does not match this group's segment size 1048576");
    agreed.join().close();
    listeners.get(0).close();
  }

  @Test
  void aPeerThatStartsLateIsWaitedFor() throws Exception {
    int port1 = FakePeer.closedPort();
    ServerSocketChannel listener0 = ProcessGroup.listen("127.0.0.1", 0);
    List<String> addresses =
        List.of(ProcessGroup.advertisedAddress("127.0.0.1", listener0), "127.0.0.1:" + port1);
    GroupOptions options = options("late", Duration.ofSeconds(10));
    long start = System.nanoTime();
    CompletableFuture<ProcessGroup> rank0 =
        CompletableFuture.supplyAsync(() -> ProcessGroup.connect(0, addresses, listener0, options));
    Thread.sleep(700);
    ProcessGroup rank1 =
        ProcessGroup.connect(1, addresses, ProcessGroup.listen("127.0.0.1", port1), options);
    try (ProcessGroup g0 = rank0.join();
        ProcessGroup g1 = rank1) {
      assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(0.69);
      List<ProcessGroup> groups = List.of(g0, g1);
      List<Double> sums = Ranks.values(groups, (rank, g) -> g.allReduceScalar(rank + 1.0));
      assertThat(sums).containsExactly(3.0, 3.0);
    }
  }

  @Test
  void ranksCanListenOnFixedPorts() throws Exception {
    List<String> addresses =
        List.of("127.0.0.1:" + FakePeer.closedPort(), "127.0.0.1:" + FakePeer.closedPort());
    List<ProcessGroup> groups =
        Ranks.values(
            Ranks.inParallel(
                2,
                rank ->
                    ProcessGroup.connect(
                        rank,
                        addresses,
                        Integer.parseInt(addresses.get(rank).split(":")[1]),
                        Duration.ofSeconds(10))));
    try {
      assertThat(groups.get(0).sessionId())
          .isEqualTo(groups.get(1).sessionId())
          .isEqualTo(GroupOptions.defaults().sessionIdFor(addresses));
      assertThat(Ranks.values(groups, (rank, g) -> g.allReduceScalar(rank, ScalarOp.MAX)))
          .containsExactly(1.0, 1.0);
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void aNeighbourThatNeverAppearsFailsTheConnectWithinItsTimeout() throws Exception {
    int port1 = FakePeer.closedPort();
    ServerSocketChannel listener0 = ProcessGroup.listen("127.0.0.1", 0);
    String address0 = ProcessGroup.advertisedAddress("127.0.0.1", listener0);
    List<String> addresses = List.of(address0, "127.0.0.1:" + port1);
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                ProcessGroup.connect(0, addresses, listener0, options("x", Duration.ofMillis(500))))
        .isInstanceOf(CollectiveException.class)
        .hasMessage(
            "Cannot connect rank 0 ("
                + address0
                + ") to rank 1 (127.0.0.1:"
                + port1
                + "): timed out after 0.5 s (last attempt: Connection refused)")
        .extracting(e -> ((CollectiveException) e).failedRank())
        .isEqualTo(1);
    assertThat((System.nanoTime() - start) / 1e9).isBetween(0.45, 2.0);
    assertThat(listener0.isOpen()).isFalse();
  }

  @Test
  void aServerThatIsNotARankIsRecognised() throws Exception {
    try (ServerSocket http = new ServerSocket()) {
      http.bind(new InetSocketAddress("127.0.0.1", 0));
      CompletableFuture.runAsync(
          () -> {
            try (Socket s = http.accept()) {
              OutputStream out = s.getOutputStream();
              out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              s.getInputStream().read();
            } catch (Exception e) {
              // the test checks the client's side
            }
          });
      ServerSocketChannel listener0 = ProcessGroup.listen("127.0.0.1", 0);
      String address0 = ProcessGroup.advertisedAddress("127.0.0.1", listener0);
      List<String> addresses = List.of(address0, "127.0.0.1:" + http.getLocalPort());
      assertThatThrownBy(
              () ->
                  ProcessGroup.connect(
                      0, addresses, listener0, options("x", Duration.ofSeconds(5))))
          .isInstanceOf(CollectiveException.class)
          .hasMessage(
              "Cannot connect rank 0 ("
                  + address0
                  + ") to rank 1 (127.0.0.1:"
                  + http.getLocalPort()
                  + "): it is not a Nautilus process group peer (it sent 0x48545450, expected"
                  + " 0x4e52494e)");
    }
  }

  @Test
  void badArgumentsAreRefusedBeforeAnySocketIsTouched() {
    ServerSocketChannel listener = ProcessGroup.listen("127.0.0.1", 0);
    assertThatThrownBy(
            () -> ProcessGroup.connect(2, List.of("a:1", "b:2"), listener, GroupOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot connect rank 2: it must be in 0..1 for 2 addresses");
    assertThat(listener.isOpen()).isFalse();
    assertThatThrownBy(
            () ->
                ProcessGroup.connect(
                    0,
                    List.of("a:1", "nohost"),
                    ProcessGroup.listen("127.0.0.1", 0),
                    GroupOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot parse the address of rank 1: 'nohost' is not host:port with a port in"
                + " 1..65535");
    assertThatThrownBy(() -> GroupOptions.builder().optSegmentBytes(1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot set the segment size to 1000 bytes: it must be a multiple of 4 in"
                + " 4096..67108864");
    assertThatThrownBy(() -> GroupOptions.builder().optOpTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot set the operation timeout to PT0S: it must be positive and under 24 days");
  }

  @Test
  void addressesParseHostPortAndBracketedIpv6() {
    assertThat(Peer.parse(3, "10.0.0.7:40123")).isEqualTo(new Peer(3, "10.0.0.7", 40123));
    assertThat(Peer.parse(1, "[::1]:7000")).isEqualTo(new Peer(1, "::1", 7000));
    assertThat(Peer.parse(1, "[::1]:7000").toString()).isEqualTo("rank 1 ([::1]:7000)");
  }

  @Test
  void theDefaultSessionIdIsSharedByOneAddressListAndDiffersForAnother() {
    GroupOptions defaults = GroupOptions.defaults();
    String a = defaults.sessionIdFor(List.of("h:1", "h:2"));
    assertThat(a).startsWith("hosts-").hasSize(6 + 16);
    assertThat(defaults.sessionIdFor(List.of("h:1", "h:2"))).isEqualTo(a);
    assertThat(defaults.sessionIdFor(List.of("h:1", "h:3"))).isNotEqualTo(a);
    assertThat(GroupOptions.builder().optSessionId("job-7").build().sessionIdFor(List.of("h:1")))
        .isEqualTo("job-7");
  }
}
