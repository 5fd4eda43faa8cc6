package io.nautilus.audio.dsp;

import java.util.Objects;

/** Mixes channels down. */
public final class Downmix {

  private Downmix() {}

  /**
   * The mean of the channels, frame by frame: what librosa's {@code to_mono} (and so NeMo, which
   * loads through it) computes. The sum runs in {@code double} in channel order and is rounded to
   * {@code float} once, so for stereo the result equals numpy's float32 mean exactly. Always a new
   * array, even for one channel.
   *
   * @param channels {@code [channel][frame]}, at least one channel, all of one length
   * @throws IllegalArgumentException if there are no channels or they differ in length
   */
  public static float[] toMono(float[][] channels) {
    Objects.requireNonNull(channels, "channels is null");
    if (channels.length == 0) {
      throw new IllegalArgumentException("Cannot mix down to mono: there are no channels");
    }
    for (int c = 0; c < channels.length; c++) {
      Objects.requireNonNull(channels[c], "channels[" + c + "] is null");
      if (channels[c].length != channels[0].length) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot mix down to mono: channel %d has %d frames, channel 0 has %d",
                c, channels[c].length, channels[0].length));
      }
    }
    int frames = channels[0].length;
    float[] mono = new float[frames];
    double count = channels.length;
    for (int i = 0; i < frames; i++) {
      double sum = 0;
      for (float[] channel : channels) {
        sum += channel[i];
      }
      mono[i] = (float) (sum / count);
    }
    return mono;
  }
}
