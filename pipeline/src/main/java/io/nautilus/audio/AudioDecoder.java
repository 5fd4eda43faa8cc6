package io.nautilus.audio;

import java.io.IOException;
import java.io.InputStream;

/** Decodes WAV and FLAC audio, or a slice of it, into float samples. Streams are not closed. */
public final class AudioDecoder {

  private AudioDecoder() {}

  /**
   * Decodes the whole stream, with the same checks as {@link AudioProbe#validate}.
   *
   * @param in the file's bytes
   * @param nameForMessages how messages name the file
   * @throws AudioFormatException if the file is not usable audio
   * @throws IOException if the stream fails
   */
  public static DecodedAudio decode(InputStream in, String nameForMessages)
      throws IOException, AudioFormatException {
    return decode(in, nameForMessages, 0, -1);
  }

  /**
   * Decodes a slice, as a NeMo manifest's {@code offset} and {@code duration} select it: frames
   * from {@code int(offset * rate)}, {@code int(duration * rate)} of them, like NeMo's {@code
   * AudioSegment}. A slice reaching past the end is cut at the end; one starting past it is empty.
   *
   * <p>Only what the slice needs is read: WAV skips to the first byte of the slice (a seek on
   * Hadoop and file streams) and stops after the last; FLAC has to decode the frames before the
   * slice but stops after it. Whole-file checks (sample counts, MD5) apply only when the slice is
   * the whole file.
   *
   * @param offsetSeconds start of the slice, at least 0
   * @param durationSecondsOrNegative length of the slice; zero or negative to read to the end (NeMo
   *     treats a zero duration the same way)
   * @throws IllegalArgumentException if the offset is negative or not finite, or the duration NaN
   */
  public static DecodedAudio decode(
      InputStream in,
      String nameForMessages,
      double offsetSeconds,
      double durationSecondsOrNegative)
      throws IOException, AudioFormatException {
    Slice slice = new Slice(offsetSeconds, durationSecondsOrNegative);
    ReadResult result = AudioReading.read(in, nameForMessages, ReadPlan.decode(slice));
    return new DecodedAudio(result.info(), result.samples());
  }
}
