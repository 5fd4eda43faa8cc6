package io.nautilus.audio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Detects the container and hands the stream to its reader. */
final class AudioReading {

  private AudioReading() {}

  static ReadResult read(InputStream stream, String source, ReadPlan plan)
      throws IOException, AudioFormatException {
    Objects.requireNonNull(stream, "stream is null");
    Objects.requireNonNull(source, "source is null");
    TrackedInputStream tracked = new TrackedInputStream(stream);
    ByteInput in = new ByteInput(tracked);
    return switch (ContainerSniffer.detect(in, source)) {
      case WAV -> WavReader.read(in, source, plan);
      case FLAC -> FlacReader.read(in, tracked, source, plan);
    };
  }
}
