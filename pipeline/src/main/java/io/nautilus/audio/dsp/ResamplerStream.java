package io.nautilus.audio.dsp;

import java.util.Arrays;
import java.util.Objects;

/**
 * Resamples one channel fed block by block, holding only a filter's length of input between blocks.
 * Any split of the input into blocks gives the same output, bit for bit, as {@link
 * Resampler#resample(float[])} on the whole. Not thread-safe; one stream per channel.
 *
 * <p>{@link #process} returns the output frames that the input so far determines; {@link #finish}
 * returns the rest, computed as if zeros followed the input, up to {@link
 * Resampler#outputFrames(long)} frames in all.
 */
public final class ResamplerStream {

  /** Input frames copied into the window buffer at a time. */
  private static final int CHUNK = 8192;

  private final FilterBank bank;
  private final float[] window;
  private final long stepWhole;
  private final long stepRemainder;

  /** Padded input index of {@code window[0]}; the padding is {@code centre - 1} leading zeros. */
  private long windowStart;

  private int windowLength;
  private long inputFrames;
  private long produced;

  /** Where the next output lies: {@code produced * down = anchor * up + remainder}. */
  private long anchor;

  private long remainder;
  private boolean finished;

  /**
   * @param bank the filter, or null to pass samples through unchanged
   */
  ResamplerStream(FilterBank bank) {
    this.bank = bank;
    if (bank == null) {
      window = new float[0];
      stepWhole = 1;
      stepRemainder = 0;
    } else {
      window = new float[bank.taps + CHUNK];
      windowLength = bank.centre - 1;
      stepWhole = bank.down / bank.up;
      stepRemainder = bank.down % bank.up;
    }
  }

  /** Feeds all of {@code samples}. */
  public float[] process(float[] samples) {
    Objects.requireNonNull(samples, "samples is null");
    return process(samples, 0, samples.length);
  }

  /**
   * Feeds {@code samples[from, from + length)}.
   *
   * @return the output frames that became computable, possibly none
   * @throws IllegalStateException after {@link #finish}
   */
  public float[] process(float[] samples, int from, int length) {
    Objects.requireNonNull(samples, "samples is null");
    Objects.checkFromIndexSize(from, length, samples.length);
    checkOpen("process");
    long ready = bank == null ? produced + length : readyAfter(inputFrames + length);
    float[] out = new float[Math.toIntExact(ready - produced)];
    int written = feed(samples, from, length, out, 0);
    assert written == out.length;
    return out;
  }

  /**
   * Ends the input and returns the remaining output frames.
   *
   * @throws IllegalStateException when called twice
   */
  public float[] finish() {
    checkOpen("finish");
    float[] out = new float[Math.toIntExact(total() - produced)];
    finishInto(out, 0);
    return out;
  }

  /** Input frames fed so far. */
  public long inputFrames() {
    return inputFrames;
  }

  /** Output frames returned so far. */
  public long outputFrames() {
    return produced;
  }

  /** Feeds input and writes the outputs it completes to {@code out} from {@code at}. */
  int feed(float[] samples, int from, int length, float[] out, int at) {
    if (bank == null) {
      System.arraycopy(samples, from, out, at, length);
      inputFrames += length;
      produced += length;
      return at + length;
    }
    int end = from + length;
    while (from < end) {
      compact();
      int n = Math.min(end - from, window.length - windowLength);
      System.arraycopy(samples, from, window, windowLength, n);
      windowLength += n;
      from += n;
      inputFrames += n;
      at = emit(out, at, Long.MAX_VALUE);
    }
    return at;
  }

  /** Ends the input and writes the remaining outputs to {@code out} from {@code at}. */
  int finishInto(float[] out, int at) {
    finished = true;
    long total = total();
    while (produced < total) {
      compact();
      Arrays.fill(window, windowLength, window.length, 0f);
      windowLength = window.length;
      at = emit(out, at, total);
    }
    return at;
  }

  private void checkOpen(String action) {
    if (finished) {
      throw new IllegalStateException("Cannot " + action + ": the resampler stream is finished");
    }
  }

  private long total() {
    return bank == null ? inputFrames : Resampler.outputFrames(inputFrames, bank.up, bank.down);
  }

  /** Outputs computable once {@code frames} input frames are in: their windows are complete. */
  private long readyAfter(long frames) {
    long lastAnchor = bank.centre - 1 + frames - bank.taps;
    if (lastAnchor < 0) {
      return 0;
    }
    // The largest n with floor(n * down / up) <= lastAnchor, plus one.
    return ((lastAnchor + 1) * bank.up - 1) / bank.down + 1;
  }

  private int emit(float[] out, int at, long limit) {
    long lastAnchor = windowStart + windowLength - bank.taps;
    while (produced < limit && anchor <= lastAnchor) {
      out[at++] = (float) bank.output(window, (int) (anchor - windowStart), remainder);
      produced++;
      anchor += stepWhole;
      remainder += stepRemainder;
      if (remainder >= bank.up) {
        remainder -= bank.up;
        anchor++;
      }
    }
    return at;
  }

  /** Drops input that no later output needs. */
  private void compact() {
    // The filter is longer than one output step, so the next anchor is never past the window.
    int drop = (int) (anchor - windowStart);
    System.arraycopy(window, drop, window, 0, windowLength - drop);
    windowLength -= drop;
    windowStart = anchor;
  }
}
