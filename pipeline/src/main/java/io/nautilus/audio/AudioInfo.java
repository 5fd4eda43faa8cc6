package io.nautilus.audio;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a container says about its audio, checked against what it holds. Serializable, so Spark jobs
 * can ship it between stages.
 *
 * @param container the container detected from the file's magic bytes
 * @param encoding how the samples are stored
 * @param sampleRate frames per second
 * @param channels samples per frame
 * @param bitsPerSample significant bits per sample: the WAV {@code wBitsPerSample} (or {@code
 *     wValidBitsPerSample} of WAVE_FORMAT_EXTENSIBLE), the FLAC STREAMINFO width
 * @param frames audio frames (samples per channel); for a decoded slice, the frames in the slice
 */
public record AudioInfo(
    Container container,
    Encoding encoding,
    int sampleRate,
    int channels,
    int bitsPerSample,
    long frames)
    implements Serializable {

  public AudioInfo {
    Objects.requireNonNull(container, "container is null");
    Objects.requireNonNull(encoding, "encoding is null");
    if (sampleRate <= 0 || channels <= 0 || bitsPerSample <= 0 || frames < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create AudioInfo: sampleRate %d, channels %d and bitsPerSample %d must be"
                  + " positive and frames %d not negative",
              sampleRate, channels, bitsPerSample, frames));
    }
  }

  public double durationSeconds() {
    return frames / (double) sampleRate;
  }
}
