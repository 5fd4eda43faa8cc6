package io.nautilus.asr.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * SpecAugment as NeMo's {@code SpecAugment} module draws it: per utterance, {@code freq_masks}
 * bands {@code [f, f + w)} with {@code f} uniform in {@code [0, features - freq_width]} and {@code
 * w} uniform in {@code [0, freq_width]}, then {@code time_masks} spans {@code [t, t + w)} with
 * {@code t} uniform in {@code [0, max(1, length - W)]} and {@code w} uniform in {@code [0, W]},
 * both ends inclusive, where {@code W} is the time width for that utterance. Masked cells become 0.
 * Masks cover only the utterance's valid frames: a time span is clipped to them, and frequency
 * masks stop at them, so the padding keeps its {@code pad_value} (NeMo masks the padding too, which
 * only differs when {@code pad_value} is not 0).
 *
 * <p>Each utterance draws from its own stream split from the call's seed, so its masks do not
 * depend on the rest of the batch. Instances are immutable and thread-safe.
 */
public final class SpecAugment {
  private final int freqMasks;
  private final int freqWidth;
  private final int timeMasks;
  private final TimeWidth timeWidth;

  /** A masked range {@code [start, start + width)} of bands or frames. */
  public record Span(int start, int width) {
    public int end() {
      return start + width;
    }
  }

  /** The masks of one utterance. */
  public record Masks(List<Span> freq, List<Span> time) {
    public Masks {
      freq = List.copyOf(freq);
      time = List.copyOf(time);
    }
  }

  public SpecAugment(int freqMasks, int freqWidth, int timeMasks, TimeWidth timeWidth) {
    if (freqMasks < 0 || freqWidth < 0 || timeMasks < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create SpecAugment: freq_masks %d, freq_width %d and time_masks %d must be"
                  + " >= 0",
              freqMasks, freqWidth, timeMasks));
    }
    this.freqMasks = freqMasks;
    this.freqWidth = freqWidth;
    this.timeMasks = timeMasks;
    this.timeWidth = Objects.requireNonNull(timeWidth, "timeWidth is null");
  }

  /** NeMo's reference ASR setting: 2 masks of up to 27 bands, 10 of up to 5% of the length. */
  public static SpecAugment reference() {
    return new SpecAugment(2, 27, 10, new TimeWidth.Fraction(0.05));
  }

  /**
   * The masks for a batch.
   *
   * @param lengths valid frames of each utterance
   * @param bands feature bands
   */
  public List<Masks> plan(int[] lengths, int bands, long seed) {
    if (freqMasks > 0 && freqWidth > bands) {
      throw new IllegalArgumentException(
          "Cannot apply SpecAugment: freq_width "
              + freqWidth
              + " exceeds the "
              + bands
              + " feature bands");
    }
    SplittableRandom root = new SplittableRandom(seed);
    List<Masks> masks = new ArrayList<>(lengths.length);
    for (int length : lengths) {
      SplittableRandom random = root.split();
      List<Span> freq = new ArrayList<>(freqMasks);
      for (int i = 0; i < freqMasks; i++) {
        int start = inclusive(random, bands - freqWidth);
        freq.add(new Span(start, inclusive(random, freqWidth)));
      }
      int width = timeWidth.maxFrames(length);
      List<Span> time = new ArrayList<>(timeMasks);
      for (int i = 0; i < timeMasks; i++) {
        int start = inclusive(random, Math.max(1, length - width));
        int drawn = inclusive(random, width);
        int from = Math.min(start, length);
        time.add(new Span(from, Math.min(start + drawn, length) - from));
      }
      masks.add(new Masks(freq, time));
    }
    return masks;
  }

  /**
   * Features with the masks of {@link #plan} set to 0.
   *
   * @param features {@code (batch, bands, frames)}
   * @param lengths valid frames of each utterance
   * @return a new array owned by {@code features}' manager
   */
  public NDArray apply(NDArray features, int[] lengths, long seed) {
    Shape shape = features.getShape();
    if (shape.dimension() != 3 || shape.get(0) != lengths.length) {
      throw new IllegalArgumentException(
          "Cannot apply SpecAugment: features must be (batch, bands, frames) for "
              + lengths.length
              + " lengths, got "
              + shape);
    }
    int batch = lengths.length;
    int bands = (int) shape.get(1);
    int frames = (int) shape.get(2);
    for (int length : lengths) {
      if (length < 0 || length > frames) {
        throw new IllegalArgumentException(
            "Cannot apply SpecAugment: length " + length + " is outside 0.." + frames);
      }
    }
    List<Masks> masks = plan(lengths, bands, seed);
    float[] bandDrop = new float[batch * bands];
    float[] frameDrop = new float[batch * frames];
    float[] valid = new float[batch * frames];
    for (int b = 0; b < batch; b++) {
      for (Span span : masks.get(b).freq()) {
        Arrays.fill(bandDrop, b * bands + span.start(), b * bands + span.end(), 1f);
      }
      for (Span span : masks.get(b).time()) {
        Arrays.fill(frameDrop, b * frames + span.start(), b * frames + span.end(), 1f);
      }
      Arrays.fill(valid, b * frames, b * frames + lengths[b], 1f);
    }
    NDManager parent = features.getManager();
    try (NDManager scope = parent.newSubManager()) {
      NDArray drop =
          scope
              .create(bandDrop, new Shape(batch, bands, 1))
              .maximum(scope.create(frameDrop, new Shape(batch, 1, frames)))
              .mul(scope.create(valid, new Shape(batch, 1, frames)))
              .gt(0.5f);
      NDArray masked = NDArrays.where(drop, scope.zeros(shape, features.getDataType()), features);
      masked.attach(parent);
      return masked;
    }
  }

  private static int inclusive(SplittableRandom random, int high) {
    return high <= 0 ? 0 : random.nextInt(high + 1);
  }
}
