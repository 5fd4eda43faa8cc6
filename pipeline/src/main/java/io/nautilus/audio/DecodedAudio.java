package io.nautilus.audio;

import java.io.Serializable;
import java.util.Objects;

/**
 * Decoded audio as floats, one array per channel.
 *
 * <p>Integer encodings are scaled by {@code 2^(bits-1)} (8-bit by 128 around its 128 midpoint), so
 * they land in {@code [-1, 1)}; float encodings are passed through unchanged and may exceed that
 * range. The arrays are shared, not copied: records compare arrays by identity.
 *
 * @param info the source's format; {@code frames} is the number of decoded frames, which is less
 *     than the file's when a slice was decoded
 * @param samples {@code [channel][frame]}
 */
public record DecodedAudio(AudioInfo info, float[][] samples) implements Serializable {

  public DecodedAudio {
    Objects.requireNonNull(info, "info is null");
    Objects.requireNonNull(samples, "samples is null");
    if (samples.length != info.channels()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create DecodedAudio: %d sample arrays for %d channels",
              samples.length, info.channels()));
    }
    for (int c = 0; c < samples.length; c++) {
      if (samples[c].length != info.frames()) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot create DecodedAudio: channel %d has %d frames, info says %d",
                c, samples[c].length, info.frames()));
      }
    }
  }

  /** Frames (samples per channel) decoded. */
  public int frames() {
    return (int) info.frames();
  }

  public int channels() {
    return info.channels();
  }

  public int sampleRate() {
    return info.sampleRate();
  }

  @Override
  public String toString() {
    return "DecodedAudio[info=" + info + ", samples=float[" + channels() + "][" + frames() + "]]";
  }
}
