package io.nautilus.asr.features;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of features, {@code (batch, features, frames)}, with the valid frame count of each
 * utterance; frames past an utterance's count hold {@code pad_value} (0). The array belongs to the
 * manager of the audio it came from.
 */
public record Features(NDArray features, int[] lengths) {
  public Features {
    Objects.requireNonNull(features, "features is null");
    lengths = lengths.clone();
  }

  @Override
  public int[] lengths() {
    return lengths.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Features f
        && features.equals(f.features)
        && Arrays.equals(lengths, f.lengths);
  }

  @Override
  public int hashCode() {
    return 31 * features.hashCode() + Arrays.hashCode(lengths);
  }

  @Override
  public String toString() {
    return "Features" + features.getShape() + " lengths " + Arrays.toString(lengths);
  }
}
