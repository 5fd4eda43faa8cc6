package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.decode;
import static io.nautilus.audio.TestAudio.noise;
import static io.nautilus.audio.TestAudio.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.audio.dsp.Downmix;
import io.nautilus.audio.dsp.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioTranscoderTest {

  @ParameterizedTest(name = "{0} bits")
  @CsvSource({"8", "16", "24"})
  void wavAndFlacOfTheSameSamplesDecodeIdentically(int bits) throws Exception {
    float[][] samples = noise(2, 5000, bits);

    DecodedAudio wav = decode(AudioTranscoder.encode(samples, 22050, Codec.WAV, bits), "a.wav");
    DecodedAudio flac = decode(AudioTranscoder.encode(samples, 22050, Codec.FLAC, bits), "a.flac");

    assertThat(wav.info().bitsPerSample()).isEqualTo(bits);
    assertThat(flac.info())
        .isEqualTo(new AudioInfo(Container.FLAC, Encoding.FLAC, 22050, 2, bits, 5000));
    assertThat(flac.samples()).isDeepEqualTo(wav.samples());
  }

  @Test
  void defaultWidthIsSixteenBits() throws Exception {
    DecodedAudio audio = decode(AudioTranscoder.encode(noise(1, 100, 1), 16000, Codec.WAV), "a");

    byte[] wav = AudioTranscoder.encode(audio, Codec.WAV);
    byte[] flac = AudioTranscoder.encode(audio, Codec.FLAC);

    assertThat(validate(wav, "a.wav"))
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.PCM_S16, 16000, 1, 16, 100));
    assertThat(validate(flac, "a.flac"))
        .isEqualTo(new AudioInfo(Container.FLAC, Encoding.FLAC, 16000, 1, 16, 100));
    // Decoded 16-bit audio written again at 16 bits is unchanged.
    assertThat(decode(flac, "a.flac").samples()).isDeepEqualTo(audio.samples());
    assertThat(decode(wav, "a.wav").samples()).isDeepEqualTo(audio.samples());
  }

  @Test
  void convertMixesDownThenResamples() {
    float[][] stereo = noise(2, 2205, 4);
    DecodedAudio audio = audio(stereo, 22050);

    float[][] converted = AudioTranscoder.convert(audio, 16000, true);

    assertThat(converted).hasNumberOfRows(1);
    assertThat(converted[0])
        .hasSize(1600)
        .containsExactly(Resampler.of(22050, 16000).resample(Downmix.toMono(stereo)));
  }

  @Test
  void convertKeepsChannelsWhenNotAskedForMono() {
    float[][] stereo = noise(2, 800, 5);

    float[][] converted = AudioTranscoder.convert(audio(stereo, 8000), 16000, false);

    assertThat(converted).hasNumberOfRows(2);
    assertThat(converted[1]).containsExactly(Resampler.of(8000, 16000).resample(stereo[1]));
  }

  @Test
  void convertWithNothingToDoReturnsTheSamplesAsTheyAre() {
    float[][] mono = noise(1, 100, 6);

    assertThat(AudioTranscoder.convert(audio(mono, 16000), 16000, true)).isSameAs(mono);
  }

  @Test
  void widthsACodecCannotStoreAreRejected() {
    float[][] samples = new float[1][10];

    assertThatThrownBy(() -> AudioTranscoder.encode(samples, 16000, Codec.FLAC, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode flac: 32 bits per sample is not one of 8, 16 or 24");
    assertThatThrownBy(() -> AudioTranscoder.encode(samples, 16000, Codec.WAV, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode wav: 12 bits per sample is not one of 8, 16, 24 or 32");
  }

  @Test
  void codecsAreNamedByTheirExtension() {
    assertThat(Codec.fromName("flac")).isEqualTo(Codec.FLAC);
    assertThat(Codec.fromName("WAV")).isEqualTo(Codec.WAV);
    assertThat(Codec.FLAC.extension()).isEqualTo("flac");
    assertThatThrownBy(() -> Codec.fromName("mp3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot parse codec: 'mp3' is not one of wav, flac");
  }

  private static DecodedAudio audio(float[][] samples, int rate) {
    return new DecodedAudio(
        new AudioInfo(Container.WAV, Encoding.FLOAT32, rate, samples.length, 32, samples[0].length),
        samples);
  }
}
