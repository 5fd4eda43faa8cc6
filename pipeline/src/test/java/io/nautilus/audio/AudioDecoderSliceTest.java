package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.noise;
import static io.nautilus.audio.TestAudio.resource;
import static io.nautilus.audio.TestAudio.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioDecoderSliceTest {

  private static final int RATE = 16000;

  private static DecodedAudio slice(byte[] bytes, double offset, double duration) throws Exception {
    return AudioDecoder.decode(new ByteArrayInputStream(bytes), "s.wav", offset, duration);
  }

  @Test
  void sliceStartsAtIntOffsetTimesRateAndHoldsIntDurationTimesRateFrames() throws Exception {
    float[][] input = noise(2, RATE, 3);
    byte[] bytes = wav(input, RATE, Encoding.FLOAT32);

    DecodedAudio decoded = slice(bytes, 0.1, 0.05);

    assertThat(decoded.info())
        .isEqualTo(new AudioInfo(Container.WAV, Encoding.FLOAT32, RATE, 2, 32, 800));
    assertThat(decoded.samples()[0]).isEqualTo(Arrays.copyOfRange(input[0], 1600, 2400));
    assertThat(decoded.samples()[1]).isEqualTo(Arrays.copyOfRange(input[1], 1600, 2400));
  }

  @Test
  void frameMathTruncatesLikeNemo() throws Exception {
    float[][] input = noise(1, 1000, 4);
    byte[] bytes = wav(input, 100, Encoding.FLOAT32);

    // 0.29 * 100 is 28.999999999999996 in doubles; NeMo's int() makes it 28, and so do we.
    DecodedAudio decoded = slice(bytes, 0.29, 0.29);

    assertThat(decoded.frames()).isEqualTo(28);
    assertThat(decoded.samples()[0][0]).isEqualTo(input[0][28]);
  }

  @Test
  void zeroOrNegativeDurationReadsToTheEnd() throws Exception {
    float[][] input = noise(1, 1000, 5);
    byte[] bytes = wav(input, 1000, Encoding.PCM_S24);

    assertThat(slice(bytes, 0.9, 0).frames()).isEqualTo(100);
    assertThat(slice(bytes, 0.9, -1).frames()).isEqualTo(100);
    assertThat(AudioDecoder.decode(new ByteArrayInputStream(bytes), "w.wav").frames())
        .isEqualTo(1000);
  }

  @Test
  void sliceRunningPastTheEndIsCutAndOneStartingPastItIsEmpty() throws Exception {
    byte[] bytes = wav(noise(1, 1000, 6), 1000, Encoding.PCM_S16);

    assertThat(slice(bytes, 0.95, 1.0).frames()).isEqualTo(50);
    DecodedAudio empty = slice(bytes, 5.0, 1.0);
    assertThat(empty.frames()).isZero();
    assertThat(empty.samples()[0]).isEmpty();
  }

  @Test
  void sliceOfAStreamedWavWithPlaceholderSizeWorks() throws Exception {
    byte[] bytes = resource("espeak_stdout.wav");
    DecodedAudio whole = AudioDecoder.decode(new ByteArrayInputStream(bytes), "e.wav");

    DecodedAudio part = slice(bytes, 0.5, 0.1);

    assertThat(part.frames()).isEqualTo(2205);
    assertThat(part.samples()[0])
        .isEqualTo(Arrays.copyOfRange(whole.samples()[0], 11025, 11025 + 2205));
    assertThat(slice(bytes, 0.5, 0).frames()).isEqualTo(whole.frames() - 11025);
  }

  @Test
  void wavSliceSkipsToItsStartInsteadOfReadingAndStopsAfterItsEnd() throws Exception {
    byte[] bytes = wav(noise(1, 10 * RATE, 8), RATE, Encoding.PCM_S16);
    CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(bytes));

    DecodedAudio decoded = AudioDecoder.decode(in, "long.wav", 9.0, 0.1);

    assertThat(decoded.frames()).isEqualTo(1600);
    // Consumed: the 44-byte header, 9 s skipped, the slice's 3200 bytes and nothing after.
    assertThat(in.read + in.skipped).isEqualTo(44 + 9L * RATE * 2 + 3200);
    // Read: the 64-byte signature sniff (its last 20 bytes skipped over) and the slice.
    assertThat(in.read).isEqualTo(64 + 3200);
  }

  @Test
  void truncatedWavIsStillTruncatedWhenTheSliceReachesTheCut() throws Exception {
    byte[] bytes = wav(noise(1, 1000, 9), 1000, Encoding.PCM_S16);
    byte[] cut = TestAudio.cut(bytes, 44 + 1000);

    assertThat(slice(cut, 0.1, 0.2).frames()).isEqualTo(200);
    assertThatThrownBy(() -> slice(cut, 0.4, 0.2))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(
            "Cannot read audio s.wav: the data chunk declares 2000 bytes but only 1000 are"
                + " present");
  }

  @Test
  void invalidSliceArgumentsAreRejected() {
    byte[] bytes = resource("tone_s16_stereo.wav");

    assertThatThrownBy(() -> slice(bytes, -0.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot decode a slice: offset must be a finite number of seconds >= 0, got -0.5");
    assertThatThrownBy(() -> slice(bytes, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot decode a slice: duration is NaN");
  }

  /** Counts bytes read and bytes skipped separately. */
  private static final class CountingInputStream extends FilterInputStream {
    long read;
    long skipped;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      read += Math.max(n, 0);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      skipped += s;
      return s;
    }
  }
}
