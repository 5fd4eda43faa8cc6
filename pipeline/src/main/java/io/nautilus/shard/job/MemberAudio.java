package io.nautilus.shard.job;

import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.audio.DecodedAudio;
import io.nautilus.audio.Encoding;
import io.nautilus.audio.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Audio as stored in a shard when it is not a plain copy: sliced, downmixed, resampled, encoded.
 */
final class MemberAudio {
  private MemberAudio() {}

  /** The stored bytes and the stored length in seconds. */
  record Encoded(byte[] bytes, double seconds) {}

  static Encoded encode(InputStream in, String name, ShardOptions o, Double offset, Double duration)
      throws IOException, AudioFormatException {
    DecodedAudio audio =
        offset != null
            ? AudioDecoder.decode(in, name, offset, duration == null ? -1 : duration)
            : AudioDecoder.decode(in, name);
    float[][] samples = audio.samples();
    int rate = audio.sampleRate();
    if (o.mono() || o.sampleRate() != null || o.codec() == ShardOptions.Codec.FLAC) {
      throw new UnsupportedOperationException(
          "Cannot convert " + name + ": resampling, mono and FLAC land with the DSP package");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WavWriter.write(out, samples, rate, Encoding.PCM_S16);
    int frames = samples.length == 0 ? 0 : samples[0].length;
    return new Encoded(out.toByteArray(), frames / (double) rate);
  }

  static String extension(ShardOptions o) {
    return switch (o.codec()) {
      case COPY -> null;
      case WAV -> ".wav";
      case FLAC -> ".flac";
    };
  }
}
