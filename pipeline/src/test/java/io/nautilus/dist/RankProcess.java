package io.nautilus.dist;

import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * One rank in its own JVM, for {@link MultiProcessTest}: {@code RankProcess DIR WORLD RANK MODE
 * LENGTH}. In mode {@code sum} it all-reduces {@link RingReference#randomInputs} for its rank and
 * prints {@code RESULT <sha-256 of the bits>}; in mode {@code idle} it joins the ring and then
 * sleeps, to be killed. A failure prints {@code FAILED <rank at fault> <message>} and exits 3.
 */
public final class RankProcess {
  private RankProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int world = Integer.parseInt(args[1]);
    int rank = Integer.parseInt(args[2]);
    String mode = args[3];
    int length = Integer.parseInt(args[4]);
    ServerSocketChannel listener = ProcessGroup.listen("127.0.0.1", 0);
    List<String> addresses =
        FileRendezvous.exchange(
            dir, rank, world, ProcessGroup.advertisedAddress("127.0.0.1", listener), 30_000);
    GroupOptions options =
        GroupOptions.builder()
            .optSessionId("multi-" + dir.getFileName())
            .optConnectTimeout(Duration.ofSeconds(30))
            .optOpTimeout(Duration.ofSeconds(30))
            .build();
    try (ProcessGroup group = ProcessGroup.connect(rank, addresses, listener, options)) {
      System.out.println("JOINED " + rank);
      System.out.flush();
      if (mode.equals("idle")) {
        Thread.sleep(60_000);
        return;
      }
      float[] data = RingReference.randomInputs(world, length, 42)[rank];
      System.out.println("ENTERING " + rank);
      System.out.flush();
      group.allReduceSum(data);
      System.out.println("RESULT " + digest(data));
    } catch (CollectiveException e) {
      System.out.println("FAILED " + e.failedRank() + " " + e.getMessage());
      System.out.flush();
      System.exit(3);
    }
  }

  static String digest(float[] data) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (int bits : RingReference.bits(data)) {
      sha.update((byte) bits);
      sha.update((byte) (bits >>> 8));
      sha.update((byte) (bits >>> 16));
      sha.update((byte) (bits >>> 24));
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
