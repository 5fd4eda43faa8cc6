package io.nautilus.dist;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All-reduce bandwidth on loopback with every rank in its own JVM (bench/allreduce/run.sh).
 *
 * <pre>
 * java -cp pipeline/target/classes:pipeline/target/test-classes io.nautilus.dist.AllReduceBench \
 *     --world 2 --sizes-mib 1,4,16,64,256 [--payload array|direct] [--segment-bytes N] [--heap 1g]
 * </pre>
 *
 * Prints one CSV line per size: {@code
 * nautilus-array|nautilus-direct,W,bytes,iterations,seconds_per_op,algbw,busbw} with bandwidths in
 * GB/s (10^9 bytes), algbw = bytes / time and busbw = algbw * 2(W-1)/W (the nccl-tests convention).
 * The time per operation is the slowest rank's mean over the timed iterations, which follow warm-up
 * iterations and a barrier.
 */
public final class AllReduceBench {
  private AllReduceBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--rank")) {
      runRank(args);
    } else {
      launch(args);
    }
  }

  private static void launch(String[] args) throws Exception {
    int world = Integer.parseInt(option(args, "--world", "2"));
    String sizes = option(args, "--sizes-mib", "1,4,16,64,256");
    String segment =
        option(args, "--segment-bytes", String.valueOf(GroupOptions.SEGMENT_BYTES_DEFAULT));
    String heap = option(args, "--heap", "1g");
    String payload = option(args, "--payload", "array");
    Path dir = Files.createTempDirectory("allreduce-bench");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (int rank = 0; rank < world; rank++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-Xms" + heap,
              "-Xmx" + heap,
              "-cp",
              System.getProperty("java.class.path"),
              AllReduceBench.class.getName(),
              "--rank",
              String.valueOf(rank),
              "--world",
              String.valueOf(world),
              "--dir",
              dir.toString(),
              "--sizes-mib",
              sizes,
              "--segment-bytes",
              segment,
              "--payload",
              payload);
      pb.redirectErrorStream(true);
      if (rank != 0) {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      processes.add(pb.start());
    }
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(processes.get(0).getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        System.out.println(line);
      }
    }
    int failures = 0;
    for (Process p : processes) {
      failures += p.waitFor() == 0 ? 0 : 1;
    }
    for (int rank = 0; rank < world; rank++) {
      Files.deleteIfExists(dir.resolve("rank-" + rank));
    }
    Files.deleteIfExists(dir);
    if (failures > 0) {
      System.err.println(failures + " rank(s) failed");
      System.exit(1);
    }
  }

  private static void runRank(String[] args) throws IOException, InterruptedException {
    int rank = Integer.parseInt(option(args, "--rank", null));
    int world = Integer.parseInt(option(args, "--world", null));
    Path dir = Path.of(option(args, "--dir", null));
    int segment = Integer.parseInt(option(args, "--segment-bytes", null));
    boolean direct = option(args, "--payload", "array").equals("direct");
    int[] sizesMib =
        Arrays.stream(option(args, "--sizes-mib", null).split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    ServerSocketChannel listener = ProcessGroup.listen("127.0.0.1", 0);
    List<String> addresses =
        FileRendezvous.exchange(
            dir, rank, world, ProcessGroup.advertisedAddress("127.0.0.1", listener), 60_000);
    GroupOptions options =
        GroupOptions.builder()
            .optSessionId("bench-" + dir.getFileName())
            .optSegmentBytes(segment)
            .optConnectTimeout(Duration.ofSeconds(60))
            .build();
    OperatingSystemMXBean cpu =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (ProcessGroup group = ProcessGroup.connect(rank, addresses, listener, options)) {
      // Both benchmarks warm up alike; here it also lets the JIT compile the hot paths, since
      // a training job runs for hours and its steady state is what counts.
      Runnable warmUp = allReduceOf(group, WARM_UP_FLOATS, direct);
      for (int i = 0; i < WARM_UP_ITERATIONS; i++) {
        warmUp.run();
      }
      for (int mib : sizesMib) {
        long bytes = (long) mib << 20;
        Runnable allReduce = allReduceOf(group, (int) (bytes / 4), direct);
        int iterations = iterations(mib);
        for (int i = 0; i < warmups(mib); i++) {
          allReduce.run();
        }
        group.barrier();
        long cpuStart = cpu.getProcessCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
          allReduce.run();
        }
        double mine = (System.nanoTime() - start) / 1e9 / iterations;
        double myCpu = (cpu.getProcessCpuTime() - cpuStart) / 1e9 / iterations;
        double seconds = group.allReduceScalar(mine, ScalarOp.MAX);
        double cpuPerRank = group.allReduceScalar(myCpu) / world;
        double algbw = bytes / seconds / 1e9;
        double busbw = algbw * 2 * (world - 1) / world;
        if (rank == 0) {
          System.out.printf(
              "%s,%d,%d,%d,%.6f,%.3f,%.3f,%.6f%n",
              direct ? "nautilus-direct" : "nautilus-array",
              world,
              bytes,
              iterations,
              seconds,
              algbw,
              busbw,
              cpuPerRank);
          System.out.flush();
        }
      }
    }
  }

  /** An all-reduce of {@code floats} ones, on a heap array or a direct buffer. */
  private static Runnable allReduceOf(ProcessGroup group, int floats, boolean direct) {
    if (direct) {
      ByteBuffer buf = ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer view = buf.asFloatBuffer();
      for (int i = 0; i < floats; i++) {
        view.put(i, 1f);
      }
      return () -> group.allReduceSum(buf);
    }
    float[] data = new float[floats];
    Arrays.fill(data, 1f);
    return () -> group.allReduceSum(data);
  }

  /** The same warm-up as gloo_allreduce.py: 4 MiB, 100 times. */
  static final int WARM_UP_FLOATS = 1 << 20;

  static final int WARM_UP_ITERATIONS = 100;

  /** The same counts as gloo_allreduce.py. */
  static int iterations(int mib) {
    return mib <= 1 ? 50 : mib <= 4 ? 20 : mib <= 16 ? 10 : mib <= 64 ? 5 : 3;
  }

  static int warmups(int mib) {
    return mib <= 1 ? 10 : mib <= 4 ? 5 : mib <= 16 ? 3 : 1;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("Cannot run the benchmark: " + name + " is missing");
    }
    return fallback;
  }
}
