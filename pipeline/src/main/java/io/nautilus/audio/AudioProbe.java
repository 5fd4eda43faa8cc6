package io.nautilus.audio;

import java.io.IOException;
import java.io.InputStream;

/**
 * Checks that a stream holds usable WAV or FLAC audio and reports its format.
 *
 * <p>The container is detected from magic bytes. Streams are read but not closed.
 */
public final class AudioProbe {

  private AudioProbe() {}

  /**
   * Reads the whole stream and checks that it decodes: headers are consistent, the data is all
   * there, every FLAC frame passes its CRC and the FLAC MD5 matches, float samples are finite.
   *
   * @param in the file's bytes; read to the end, not closed
   * @param nameForMessages how messages name the file, e.g. its path
   * @return the format and the exact frame count
   * @throws AudioFormatException if the file is not usable audio; see its {@link
   *     AudioFormatException.Reason}
   * @throws IOException if the stream fails
   */
  public static AudioInfo validate(InputStream in, String nameForMessages)
      throws IOException, AudioFormatException {
    return AudioReading.read(in, nameForMessages, ReadPlan.validate()).info();
  }

  /**
   * Reads only the headers, for when full validation is switched off. The frame count is the one
   * the header declares; a file cut short in its audio data passes. Where the header does not know
   * the length (a streamed WAV's placeholder size, a streamed FLAC's zero sample count), the rest
   * of the stream is read to find it.
   *
   * @param in the file's bytes; not closed
   * @param nameForMessages how messages name the file
   * @throws AudioFormatException if the headers show the file is not usable audio
   * @throws IOException if the stream fails
   */
  public static AudioInfo probeHeader(InputStream in, String nameForMessages)
      throws IOException, AudioFormatException {
    return AudioReading.read(in, nameForMessages, ReadPlan.header()).info();
  }
}
