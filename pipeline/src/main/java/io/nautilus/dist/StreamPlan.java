package io.nautilus.dist;

import java.util.ArrayList;
import java.util.List;

/**
 * What one rank sends to its successor and receives from its predecessor during one collective, as
 * two ordered lists of byte ranges of the local payload (one range per ring step).
 *
 * <p>Every ring collective here forwards what it has just received: after the first {@code
 * allowance} bytes, the send stream is the receive stream again. So a rank may send byte {@code q}
 * of its send stream once it has applied {@code q - allowance} bytes of its receive stream. This
 * one rule pipelines the steps without a pause between them, and it cannot deadlock because every
 * rank can always send its first {@code allowance} bytes.
 */
record StreamPlan(List<Range> sends, List<Range> receives, long allowance) {

  /**
   * Bytes {@code [offset, offset + bytes)} of the payload. Received bytes are added ({@code add})
   * or copied; {@code keep} says whether the result must be stored locally, which an intermediate
   * reduce-scatter sum that is only passed on need not be.
   */
  record Range(long offset, long bytes, boolean add, boolean keep) {}

  /** The leading bytes of the receive stream that are forwarded, as the send stream's tail. */
  long forwardBytes() {
    return sendBytes() - allowance;
  }

  long sendBytes() {
    return total(sends);
  }

  long receiveBytes() {
    return total(receives);
  }

  private static long total(List<Range> ranges) {
    long sum = 0;
    for (Range r : ranges) {
      sum += r.bytes();
    }
    return sum;
  }

  /**
   * Ring reduce-scatter then all-gather over {@code world} chunks of 4-byte floats. In step {@code
   * t} (0-based, {@code 2W-2} steps) rank {@code r} sends chunk {@code (r - t) mod W} and receives
   * chunk {@code (r - t - 1) mod W}, adding it to its own during the first {@code W - 1} steps and
   * copying it afterwards. Rank {@code r} ends the reduce-scatter owning chunk {@code (r + 1) mod
   * W}.
   */
  static StreamPlan allReduce(int rank, int world, int length) {
    Chunks chunks = new Chunks(length, world);
    List<Range> sends = new ArrayList<>();
    List<Range> receives = new ArrayList<>();
    for (int t = 0; t < 2 * (world - 1); t++) {
      sends.add(floatRange(chunks, Math.floorMod(rank - t, world), false, true));
      boolean add = t < world - 1;
      boolean keep = t >= world - 2; // the owner's final sum, and everything gathered
      receives.add(floatRange(chunks, Math.floorMod(rank - t - 1, world), add, keep));
    }
    return new StreamPlan(sends, receives, sends.get(0).bytes());
  }

  private static Range floatRange(Chunks chunks, int chunk, boolean add, boolean keep) {
    return new Range(4L * chunks.start(chunk), 4L * chunks.size(chunk), add, keep);
  }

  /**
   * A pipelined chain from {@code root} round the ring: each rank copies what arrives and forwards
   * it, except the rank just before the root.
   */
  static StreamPlan broadcast(int rank, int world, int root, long bytes) {
    Range whole = new Range(0, bytes, false, true);
    if (rank == root) {
      return new StreamPlan(List.of(whole), List.of(), bytes);
    }
    boolean lastInChain = Math.floorMod(rank + 1, world) == root;
    return new StreamPlan(lastInChain ? List.of() : List.of(whole), List.of(whole), 0);
  }

  /**
   * Ring all-gather of one item per rank laid end to end ({@code offsets[i]}, {@code sizes[i]}): in
   * step {@code t} ({@code W - 1} steps) rank {@code r} sends item {@code (r - t) mod W} and
   * receives item {@code (r - t - 1) mod W}.
   */
  static StreamPlan allGather(int rank, int world, long[] offsets, long[] sizes) {
    List<Range> sends = new ArrayList<>();
    List<Range> receives = new ArrayList<>();
    for (int t = 0; t < world - 1; t++) {
      int out = Math.floorMod(rank - t, world);
      int in = Math.floorMod(rank - t - 1, world);
      sends.add(new Range(offsets[out], sizes[out], false, true));
      receives.add(new Range(offsets[in], sizes[in], false, true));
    }
    return new StreamPlan(sends, receives, sizes[rank]);
  }
}
