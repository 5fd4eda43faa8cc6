package io.nautilus.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FailureTest {

  private static GroupOptions opTimeout(Duration timeout) {
    return GroupOptions.builder()
        .optConnectTimeout(Duration.ofSeconds(10))
        .optOpTimeout(timeout)
        .build();
  }

  private static String address(List<ProcessGroup> groups, int rank) {
    return groups.get(rank).toString().replaceAll(".*\\((.*)\\) of.*", "$1");
  }

  @Test
  void aRankWhoseSocketsDieMidOperationIsNamedOnEveryOtherRankLongBeforeTheTimeout() {
    List<ProcessGroup> groups = Ranks.connect(4, opTimeout(Duration.ofSeconds(20)));
    String dead = "rank 2 (" + address(groups, 2) + ")";
    try {
      List<Ranks.Outcome<Void>> outcomes =
          Ranks.run(
              groups,
              (rank, g) -> {
                if (rank == 2) {
                  Thread.sleep(300); // the others are inside the all-reduce by now
                  g.closeAbruptly();
                  return null;
                }
                g.allReduceSum(new float[1_000_003]);
                return null;
              });
      for (int rank : new int[] {0, 1, 3}) {
        Ranks.Outcome<Void> o = outcomes.get(rank);
        assertThat(o.error())
            .as("rank %d", rank)
            .isInstanceOf(CollectiveException.class)
            .hasMessageStartingWith("Cannot all-reduce of 1000003 floats (op 1): " + dead)
            .hasMessageContaining(" closed the connection during all-reduce");
        assertThat(((CollectiveException) o.error()).failedRank()).isEqualTo(2);
        assertThat(o.seconds()).as("rank %d", rank).isLessThan(5);
      }
      // Fail fast afterwards: the group is unusable.
      assertThatThrownBy(() -> groups.get(0).barrier())
          .isInstanceOf(CollectiveException.class)
          .hasMessageStartingWith(
              "Cannot barrier (op 2): the process group failed earlier: Cannot all-reduce of"
                  + " 1000003 floats (op 1): "
                  + dead);
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void aRankThatNeverStartsTheOperationIsNamedByAllWithinTheTimeout() {
    List<ProcessGroup> groups = Ranks.connect(3, opTimeout(Duration.ofSeconds(1)));
    String late = "rank 2 (" + address(groups, 2) + ")";
    String cause = late + " did not start all-reduce of 1000 floats (op 1) within 1 s";
    try {
      List<Ranks.Outcome<Void>> outcomes =
          Ranks.run(
              groups,
              (rank, g) -> {
                if (rank == 2) {
                  Thread.sleep(2500);
                  return null;
                }
                g.allReduceSum(new float[1000]);
                return null;
              });
      // Rank 0 receives from rank 2 and sees it directly; rank 1 hears it from rank 0.
      assertThat(outcomes.get(0).error())
          .isInstanceOf(CollectiveException.class)
          .hasMessage("Cannot all-reduce of 1000 floats (op 1): " + cause);
      assertThat(outcomes.get(1).error())
          .isInstanceOf(CollectiveException.class)
          .hasMessage(
              "Cannot all-reduce of 1000 floats (op 1): " + cause + " (reported by rank 0)");
      for (int rank : new int[] {0, 1}) {
        assertThat(((CollectiveException) outcomes.get(rank).error()).failedRank()).isEqualTo(2);
        assertThat(outcomes.get(rank).seconds()).as("rank %d", rank).isBetween(0.95, 2.4);
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void aRankThatHangsMidOperationIsNamedEvenByRanksItDoesNotTalkTo() throws Exception {
    // Rank 1 is a fake that joins the ring, starts the all-reduce and then goes silent. Rank 2
    // waits on it directly; rank 0 waits on rank 2, which says it is stalled, so rank 0 waits for
    // rank 2's verdict instead of blaming rank 2.
    List<ServerSocketChannel> listeners = Ranks.listeners(3);
    List<String> addresses = Ranks.addresses(listeners);
    GroupOptions options =
        GroupOptions.builder()
            .optSessionId("hang")
            .optConnectTimeout(Duration.ofSeconds(10))
            .optOpTimeout(Duration.ofSeconds(1))
            .build();
    Handshake.Hello fake = FakePeer.hello("hang", 3, 1);
    CompletableFuture<SocketChannel> fromRank0 =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return FakePeer.acceptAndAgree(listeners.get(1), fake);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    CompletableFuture<ProcessGroup> rank0 =
        CompletableFuture.supplyAsync(
            () -> ProcessGroup.connect(0, addresses, listeners.get(0), options));
    CompletableFuture<ProcessGroup> rank2 =
        CompletableFuture.supplyAsync(
            () -> ProcessGroup.connect(2, addresses, listeners.get(2), options));
    FakePeer.Dialled toRank2 = FakePeer.dial(addresses.get(2), fake);
    List<ProcessGroup> real = List.of(rank0.join(), rank2.join());
    try {
      FakePeer.writeStart(toRank2.channel(), new OpId(1, OpCode.ALL_REDUCE, 3000, 0));
      List<Ranks.Outcome<Void>> outcomes =
          Ranks.run(
              real,
              (i, g) -> {
                g.allReduceSum(new float[3000]);
                return null;
              });
      String hung = "rank 1 (" + addresses.get(1) + ")";
      assertThat(outcomes.get(1).error())
          .isInstanceOf(CollectiveException.class)
          .hasMessage(
              "Cannot all-reduce of 3000 floats (op 1): timed out after 1 s waiting for "
                  + hung
                  + " during all-reduce step 1 of 4");
      assertThat(outcomes.get(0).error())
          .isInstanceOf(CollectiveException.class)
          .hasMessage(
              "Cannot all-reduce of 3000 floats (op 1): timed out after 1 s waiting for "
                  + hung
                  + " during all-reduce step 1 of 4 (reported by rank 2)");
      for (Ranks.Outcome<Void> o : outcomes) {
        assertThat(((CollectiveException) o.error()).failedRank()).isEqualTo(1);
        assertThat(o.seconds()).isBetween(0.95, 4.0);
      }
    } finally {
      Ranks.closeAll(real);
      fromRank0.join().close();
      toRank2.channel().close();
    }
  }

  @Test
  void ranksCallingDifferentCollectivesFailWithBothCallsNamed() {
    List<ProcessGroup> groups = Ranks.connect(2);
    try {
      List<Ranks.Outcome<Void>> outcomes =
          Ranks.run(
              groups,
              (rank, g) -> {
                if (rank == 0) {
                  g.allReduceSum(new float[10]);
                } else {
                  g.broadcast(new float[10], 0);
                }
                return null;
              });
      for (Ranks.Outcome<Void> o : outcomes) {
        assertThat(o.error())
            .isInstanceOf(CollectiveException.class)
            .hasMessageContaining("called broadcast of 10 floats from rank 0 (op 1)")
            .hasMessageContaining("called all-reduce of 10 floats (op 1)")
            .hasMessageContaining(
                "; every rank must call the same collectives in the same order with the same"
                    + " sizes");
      }
    } finally {
      Ranks.closeAll(groups);
    }
  }

  @Test
  void aRankThatCallsOneCollectiveMoreIsCaughtAtTheNextCall() {
    List<ProcessGroup> groups = Ranks.connect(3);
    String rank0 = "rank 0 (" + address(groups, 0) + ")";
    String rank1 = "rank 1 (" + address(groups, 1) + ")";
    try {
      List<Ranks.Outcome<Void>> outcomes =
          Ranks.run(
              groups,
              (rank, g) -> {
                if (rank == 0) {
                  g.barrier(); // one call too many
                }
                g.allReduceSum(new float[5]);
                return null;
              });
      // Which rank sees the disagreement first depends on timing (rank 1 receives from rank 0,
      // rank 0 from rank 2); either way rank 1 ends with a message naming rank 0's barrier and
      // another rank's all-reduce, directly or relayed from the rank that saw it.
      assertThat(outcomes.get(1).error())
          .isInstanceOf(CollectiveException.class)
          .hasMessageStartingWith("Cannot all-reduce of 5 floats (op 1): ")
          .hasMessageContaining(rank0 + " called barrier (op 1)")
          .hasMessageContaining(" called all-reduce of 5 floats (op 1)")
          .hasMessageContaining(
              "every rank must call the same collectives in the same order with the same sizes");
      assertThat(outcomes.get(1).error().getMessage())
          .containsAnyOf(rank1 + " called all-reduce", "rank 2 (" + address(groups, 2) + ")");
      assertThat(outcomes.get(0).error()).isInstanceOf(CollectiveException.class);
      assertThat(outcomes.get(2).error()).isInstanceOf(CollectiveException.class);
    } finally {
      Ranks.closeAll(groups);
    }
  }
}
