package io.nautilus.audio;

import io.nautilus.audio.dsp.Downmix;
import io.nautilus.audio.dsp.Resampler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Converts decoded audio to a target rate and channel layout and encodes it as a file's bytes: what
 * a job that rewrites audio (the {@code shard} job's {@code sample_rate} and {@code codec} options)
 * needs in one place.
 *
 * <p>Integer widths quantise the same way for both codecs (see {@link WavWriter}), so a WAV and a
 * FLAC written from the same samples at the same width decode to identical samples.
 */
public final class AudioTranscoder {

  /** The width written when none is asked for: 16-bit, what NeMo's datasets hold. */
  public static final int DEFAULT_BITS = 16;

  private AudioTranscoder() {}

  /**
   * Mixes down to mono when asked, then resamples to {@code targetRate}: the order librosa's {@code
   * load(sr=..., mono=True)} uses, and the cheaper one. Returns the input's arrays when there is
   * nothing to do.
   *
   * @param targetRate the output rate; the audio's own rate leaves it unchanged
   * @return {@code [channel][frame]} at {@code targetRate}
   */
  public static float[][] convert(DecodedAudio audio, int targetRate, boolean mono) {
    Objects.requireNonNull(audio, "audio is null");
    float[][] samples = audio.samples();
    if (mono && samples.length > 1) {
      samples = new float[][] {Downmix.toMono(samples)};
    }
    if (targetRate != audio.sampleRate()) {
      samples = Resampler.of(audio.sampleRate(), targetRate).resample(samples);
    }
    return samples;
  }

  /** Encodes decoded audio at its own rate as 16-bit {@code codec}. */
  public static byte[] encode(DecodedAudio audio, Codec codec) {
    Objects.requireNonNull(audio, "audio is null");
    return encode(audio.samples(), audio.sampleRate(), codec, DEFAULT_BITS);
  }

  /** Encodes {@code [channel][frame]} samples as 16-bit {@code codec}. */
  public static byte[] encode(float[][] samples, int sampleRate, Codec codec) {
    return encode(samples, sampleRate, codec, DEFAULT_BITS);
  }

  /**
   * Encodes {@code [channel][frame]} samples.
   *
   * @param bitsPerSample WAV: 8 (unsigned), 16, 24 or 32; FLAC: 8, 16 or 24
   * @throws IllegalArgumentException if the codec cannot store that width, or the samples are not
   *     encodable (see {@link WavWriter#write} and {@link FlacEncoder#encode(java.io.OutputStream,
   *     float[][], int, int)})
   */
  public static byte[] encode(float[][] samples, int sampleRate, Codec codec, int bitsPerSample) {
    Objects.requireNonNull(samples, "samples is null");
    Objects.requireNonNull(codec, "codec is null");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      switch (codec) {
        case WAV -> WavWriter.write(out, samples, sampleRate, wavEncoding(bitsPerSample));
        case FLAC -> {
          if (bitsPerSample != 8 && bitsPerSample != 16 && bitsPerSample != 24) {
            throw unsupported(codec, bitsPerSample, "8, 16 or 24");
          }
          FlacEncoder.encode(out, samples, sampleRate, bitsPerSample);
        }
      }
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; this is here for the compiler.
      throw new UncheckedIOException("Cannot encode audio into memory: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static Encoding wavEncoding(int bits) {
    return switch (bits) {
      case 8 -> Encoding.PCM_U8;
      case 16 -> Encoding.PCM_S16;
      case 24 -> Encoding.PCM_S24;
      case 32 -> Encoding.PCM_S32;
      default -> throw unsupported(Codec.WAV, bits, "8, 16, 24 or 32");
    };
  }

  private static IllegalArgumentException unsupported(Codec codec, int bits, String allowed) {
    return new IllegalArgumentException(
        String.format(
            "Cannot encode %s: %d bits per sample is not one of %s",
            codec.extension(), bits, allowed));
  }
}
