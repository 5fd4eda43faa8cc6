package io.nautilus.audio;

/**
 * A time range of a file, converted to frames the way NeMo's {@code AudioSegment} does: the start
 * is {@code int(offset * rate)} and the length {@code int(duration * rate)}, so slices cut by this
 * package match the samples NeMo reads for the same manifest entry.
 *
 * @param offsetSeconds start, at least 0
 * @param durationSeconds length; zero or negative means to the end, as in NeMo
 */
record Slice(double offsetSeconds, double durationSeconds) {

  static final Slice ALL = new Slice(0, 0);

  Slice {
    if (!(offsetSeconds >= 0) || Double.isInfinite(offsetSeconds)) {
      throw new IllegalArgumentException(
          "Cannot decode a slice: offset must be a finite number of seconds >= 0, got "
              + offsetSeconds);
    }
    if (Double.isNaN(durationSeconds)) {
      throw new IllegalArgumentException("Cannot decode a slice: duration is NaN");
    }
  }

  boolean isAll() {
    return offsetSeconds == 0 && !(durationSeconds > 0);
  }

  long startFrame(int sampleRate) {
    return (long) (offsetSeconds * sampleRate);
  }

  /** Exclusive end frame; {@link Long#MAX_VALUE} when the slice runs to the end. */
  long endFrame(int sampleRate) {
    if (!(durationSeconds > 0)) {
      return Long.MAX_VALUE;
    }
    long start = startFrame(sampleRate);
    long length = (long) (durationSeconds * sampleRate);
    return length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
  }
}
