package io.nautilus.asr.features;

/**
 * The largest width of a SpecAugment time mask: a fixed number of frames, or a fraction of each
 * utterance's length. NeMo tells them apart by the YAML type ({@code 25} vs {@code 0.05}), and so
 * does {@link #of}.
 */
public sealed interface TimeWidth {

  /** The largest mask width for an utterance of {@code frames} valid frames. */
  int maxFrames(int frames);

  /** A fixed width in frames. */
  record Frames(int frames) implements TimeWidth {
    public Frames {
      if (frames < 0) {
        throw new IllegalArgumentException("Cannot use time_width " + frames + ": it must be >= 0");
      }
    }

    @Override
    public int maxFrames(int length) {
      return frames;
    }
  }

  /** A fraction of the utterance: {@code max(1, int(length * fraction))}, as NeMo computes it. */
  record Fraction(double fraction) implements TimeWidth {
    public Fraction {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException(
            "Cannot use time_width " + fraction + ": a fraction must lie in [0, 1]");
      }
    }

    @Override
    public int maxFrames(int length) {
      return Math.max(1, (int) (length * fraction));
    }
  }

  /** An integer means frames, a floating-point number a fraction of the length. */
  public static TimeWidth of(Number width) {
    if (width instanceof Integer || width instanceof Long || width instanceof Short) {
      return new Frames(width.intValue());
    }
    return new Fraction(width.doubleValue());
  }
}
