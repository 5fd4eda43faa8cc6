package io.nautilus.audio;

import java.util.Arrays;

/**
 * Keeps the decoded frames that fall in a window, growing its arrays as frames arrive.
 *
 * <p>Capacity follows the data rather than the header, so a corrupt header that claims billions of
 * frames costs no memory before the frames actually show up.
 */
final class SampleCollector {

  static final int MAX_FRAMES = Integer.MAX_VALUE - 8;
  private static final int MAX_INITIAL_SAMPLES = 1 << 20;

  private final String source;
  private final long start;
  private final long end;
  private float[][] data;
  private int size;
  private long position;

  /**
   * @param start first frame kept
   * @param end first frame not kept; {@link Long#MAX_VALUE} for all
   * @param expectedFrames frames the header promises in the window, a capacity hint
   */
  SampleCollector(String source, int channels, long start, long end, long expectedFrames) {
    this.source = source;
    this.start = start;
    this.end = end;
    int initial = (int) Math.max(0, Math.min(expectedFrames, MAX_INITIAL_SAMPLES / channels));
    this.data = new float[channels][initial];
  }

  static SampleCollector forSlice(String source, AudioInfo format, Slice slice, long framesInFile) {
    long first = slice.startFrame(format.sampleRate());
    long last = slice.endFrame(format.sampleRate());
    long expected = framesInFile < 0 ? 0 : Math.min(last, framesInFile) - first;
    return new SampleCollector(source, format.channels(), first, last, expected);
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  /** Moves to a frame without data, after the caller skipped bytes up to it. */
  void skipTo(long frame) {
    position = frame;
  }

  boolean isComplete() {
    return position >= end;
  }

  /** Takes {@code count} frames that start at the current position. */
  void accept(float[][] block, int count) throws AudioFormatException {
    long from = Math.max(position, start);
    long to = Math.min(position + count, end);
    if (to > from) {
      int n = (int) (to - from);
      ensureCapacity(n);
      int offset = (int) (from - position);
      for (int c = 0; c < data.length; c++) {
        System.arraycopy(block[c], offset, data[c], size, n);
      }
      size += n;
    }
    position += count;
  }

  int size() {
    return size;
  }

  float[][] samples() {
    if (data.length > 0 && data[0].length != size) {
      for (int c = 0; c < data.length; c++) {
        data[c] = Arrays.copyOf(data[c], size);
      }
    }
    return data;
  }

  private void ensureCapacity(int more) throws AudioFormatException {
    if (more > MAX_FRAMES - size) {
      throw new AudioFormatException(
          AudioFormatException.Reason.UNSUPPORTED_FORMAT,
          source,
          "more than " + MAX_FRAMES + " frames per channel, too long to decode into memory");
    }
    int needed = size + more;
    int capacity = data[0].length;
    if (needed <= capacity) {
      return;
    }
    int grown = (int) Math.min(MAX_FRAMES, Math.max(needed, capacity + (long) capacity / 2 + 1024));
    for (int c = 0; c < data.length; c++) {
      data[c] = Arrays.copyOf(data[c], grown);
    }
  }
}
