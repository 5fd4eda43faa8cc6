package io.nautilus.shard.job;

import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.audio.AudioTranscoder;
import io.nautilus.audio.Codec;
import io.nautilus.audio.DecodedAudio;
import java.io.IOException;
import java.io.InputStream;

/**
 * Audio as stored in a shard when it is not a plain copy: sliced, downmixed, resampled, encoded.
 */
final class MemberAudio {
  private MemberAudio() {}

  /** The stored bytes and the stored length in seconds. */
  record Encoded(byte[] bytes, double seconds) {}

  /**
   * Decodes (a slice of) the source, then mixes down and resamples as configured, then encodes as
   * 16-bit WAV or FLAC. A copy-mode slice is stored as WAV.
   */
  static Encoded encode(InputStream in, String name, ShardOptions o, Double offset, Double duration)
      throws IOException, AudioFormatException {
    DecodedAudio audio =
        offset != null
            ? AudioDecoder.decode(in, name, offset, duration == null ? -1 : duration)
            : AudioDecoder.decode(in, name);
    int rate = o.sampleRate() != null ? o.sampleRate() : audio.sampleRate();
    float[][] samples = AudioTranscoder.convert(audio, rate, o.mono());
    int frames = samples.length == 0 ? 0 : samples[0].length;
    if (frames == 0) {
      throw new AudioFormatException(
          AudioFormatException.Reason.ZERO_LENGTH, name, "the selected audio holds no samples");
    }
    Codec codec = o.codec() == ShardOptions.Codec.FLAC ? Codec.FLAC : Codec.WAV;
    return new Encoded(AudioTranscoder.encode(samples, rate, codec), frames / (double) rate);
  }

  static String extension(ShardOptions o) {
    return switch (o.codec()) {
      case COPY -> null;
      case WAV -> ".wav";
      case FLAC -> ".flac";
    };
  }
}
