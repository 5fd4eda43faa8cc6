package io.nautilus.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class AudioValuesTest {

  private static final AudioInfo STEREO =
      new AudioInfo(Container.WAV, Encoding.PCM_S16, 16000, 2, 16, 24000);

  @Test
  void durationIsFramesOverSampleRate() {
    assertThat(STEREO.durationSeconds()).isEqualTo(1.5);
  }

  @Test
  void audioInfoRejectsImpossibleValues() {
    assertThatThrownBy(() -> new AudioInfo(Container.FLAC, Encoding.FLAC, 0, 1, 16, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create AudioInfo: sampleRate 0, channels 1 and bitsPerSample 16 must be"
                + " positive and frames 10 not negative");
  }

  @Test
  void audioInfoSurvivesJavaSerialization() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(STEREO);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(STEREO);
    }
  }

  @Test
  void decodedAudioChecksItsArraysAgainstItsInfo() {
    AudioInfo mono = new AudioInfo(Container.WAV, Encoding.FLOAT32, 8000, 1, 32, 3);

    assertThat(new DecodedAudio(mono, new float[][] {{1, 2, 3}}).toString())
        .isEqualTo(
            "DecodedAudio[info=AudioInfo[container=WAV, encoding=FLOAT32, sampleRate=8000,"
                + " channels=1, bitsPerSample=32, frames=3], samples=float[1][3]]");
    assertThatThrownBy(() -> new DecodedAudio(mono, new float[][] {{1, 2}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create DecodedAudio: channel 0 has 2 frames, info says 3");
    assertThatThrownBy(() -> new DecodedAudio(mono, new float[2][3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create DecodedAudio: 2 sample arrays for 1 channels");
  }

  @Test
  void exceptionCarriesReasonAndSource() {
    AudioFormatException e =
        new AudioFormatException(AudioFormatException.Reason.CORRUPT, "a.wav", "broken");

    assertThat(e.reason()).isEqualTo(AudioFormatException.Reason.CORRUPT);
    assertThat(e.source()).isEqualTo("a.wav");
    assertThat(e).hasMessage("Cannot read audio a.wav: broken");
  }
}
