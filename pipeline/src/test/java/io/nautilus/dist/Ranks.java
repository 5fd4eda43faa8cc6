package io.nautilus.dist;

import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs {@code W} ranks as threads of this JVM on loopback, with real sockets. */
final class Ranks {
  /** One rank's share of a test. */
  interface Task<T> {
    T run(int rank, ProcessGroup group) throws Exception;
  }

  /** What a rank's task gave: a value or an error, and when it finished. */
  record Outcome<T>(T value, Throwable error, long elapsedNanos) {
    double seconds() {
      return elapsedNanos / 1e9;
    }
  }

  private Ranks() {}

  static List<ServerSocketChannel> listeners(int world) {
    List<ServerSocketChannel> listeners = new ArrayList<>();
    for (int i = 0; i < world; i++) {
      listeners.add(ProcessGroup.listen("127.0.0.1", 0));
    }
    return listeners;
  }

  static List<String> addresses(List<ServerSocketChannel> listeners) {
    List<String> addresses = new ArrayList<>();
    for (ServerSocketChannel l : listeners) {
      addresses.add(ProcessGroup.advertisedAddress("127.0.0.1", l));
    }
    return addresses;
  }

  /** Connects {@code world} ranks in parallel; fails the test if any rank fails. */
  static List<ProcessGroup> connect(int world, GroupOptions options) {
    List<ServerSocketChannel> listeners = listeners(world);
    List<String> addresses = addresses(listeners);
    List<Outcome<ProcessGroup>> outcomes =
        inParallel(
            world, rank -> ProcessGroup.connect(rank, addresses, listeners.get(rank), options));
    return values(outcomes);
  }

  static List<ProcessGroup> connect(int world) {
    return connect(
        world,
        GroupOptions.builder()
            .optConnectTimeout(Duration.ofSeconds(10))
            .optOpTimeout(Duration.ofSeconds(10))
            .build());
  }

  /** Runs {@code task} on every rank at once and waits for all (30 s at most). */
  static <T> List<Outcome<T>> run(List<ProcessGroup> groups, Task<T> task) {
    return inParallel(groups.size(), rank -> task.run(rank, groups.get(rank)));
  }

  /** {@link #run}, failing the test on the first error. */
  static <T> List<T> values(List<ProcessGroup> groups, Task<T> task) {
    return values(run(groups, task));
  }

  static <T> List<T> values(List<Outcome<T>> outcomes) {
    List<T> values = new ArrayList<>();
    for (Outcome<T> o : outcomes) {
      if (o.error() != null) {
        throw new AssertionError("a rank failed: " + o.error(), o.error());
      }
      values.add(o.value());
    }
    return values;
  }

  static void closeAll(List<ProcessGroup> groups) {
    for (ProcessGroup g : groups) {
      g.close();
    }
  }

  interface RankCall<T> {
    T call(int rank) throws Exception;
  }

  static <T> List<Outcome<T>> inParallel(int world, RankCall<T> call) {
    ExecutorService pool = Executors.newFixedThreadPool(world);
    try {
      long start = System.nanoTime();
      List<Future<Outcome<T>>> futures = new ArrayList<>();
      for (int rank = 0; rank < world; rank++) {
        int r = rank;
        futures.add(
            pool.submit(
                () -> {
                  try {
                    T value = call.call(r);
                    return new Outcome<>(value, null, System.nanoTime() - start);
                  } catch (Throwable t) {
                    return new Outcome<T>(null, t, System.nanoTime() - start);
                  }
                }));
      }
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (Future<Outcome<T>> f : futures) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } catch (Exception e) {
      throw new AssertionError("ranks did not finish in 30 s", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
