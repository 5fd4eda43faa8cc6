package io.nautilus.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Rendezvous for ranks in separate processes on one machine: each writes its {@code host:port} to
 * {@code dir/rank-R} (atomically, by rename) and waits for all. It stands in for Spark's {@code
 * BarrierTaskContext.allGather}.
 */
final class FileRendezvous {
  private FileRendezvous() {}

  static List<String> exchange(Path dir, int rank, int world, String address, long timeoutMillis)
      throws IOException, InterruptedException {
    Path tmp = dir.resolve("rank-" + rank + ".tmp");
    Files.writeString(tmp, address, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("rank-" + rank), StandardCopyOption.ATOMIC_MOVE);
    long deadline = System.currentTimeMillis() + timeoutMillis;
    List<String> addresses = new ArrayList<>();
    for (int r = 0; r < world; r++) {
      Path file = dir.resolve("rank-" + r);
      while (!Files.exists(file)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("Cannot rendezvous: rank " + r + " did not write " + file);
        }
        Thread.sleep(5);
      }
      addresses.add(Files.readString(file, StandardCharsets.UTF_8).trim());
    }
    return addresses;
  }
}
