package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.concat;
import static io.nautilus.audio.TestAudio.cut;
import static io.nautilus.audio.TestAudio.decode;
import static io.nautilus.audio.TestAudio.probe;
import static io.nautilus.audio.TestAudio.resource;
import static io.nautilus.audio.TestAudio.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.nautilus.audio.AudioFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlacTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "espeak_hello, 22050, 1, 16, 23190",
    "tone_s16_stereo, 16000, 2, 16, 1600",
    "tone_s24_stereo, 16000, 2, 24, 1600",
    "tone_s24_mono, 16000, 1, 24, 1600"
  })
  void flacDecodesToExactlyTheSamplesOfTheWavItWasEncodedFrom(
      String name, int rate, int channels, int bits, long frames) throws Exception {
    byte[] flac = resource(name + ".flac");
    AudioInfo expected = new AudioInfo(Container.FLAC, Encoding.FLAC, rate, channels, bits, frames);

    assertThat(validate(flac, name + ".flac")).isEqualTo(expected);
    assertThat(probe(flac, name + ".flac")).isEqualTo(expected);
    DecodedAudio fromFlac = decode(flac, name + ".flac");
    DecodedAudio fromWav = decode(resource(name + ".wav"), name + ".wav");
    assertThat(fromFlac.info()).isEqualTo(expected);
    assertThat(fromWav.info().frames()).isEqualTo(frames);
    for (int c = 0; c < channels; c++) {
      assertThat(fromFlac.samples()[c]).as("channel %d", c).isEqualTo(fromWav.samples()[c]);
    }
  }

  @Test
  void streamedFlacWithoutSampleCountIsValidatedByDecodingEveryFrame() throws Exception {
    byte[] flac = resource("streamed_s24_mono.flac");
    AudioInfo expected = new AudioInfo(Container.FLAC, Encoding.FLAC, 16000, 1, 24, 1600);

    assertThat(validate(flac, "s.flac")).isEqualTo(expected);
    // STREAMINFO says 0 samples ("unknown"), so even the header probe has to count frames.
    assertThat(probe(flac, "s.flac")).isEqualTo(expected);
    assertThat(decode(flac, "s.flac").samples()[0])
        .isEqualTo(decode(resource("tone_s24_mono.wav"), "t.wav").samples()[0]);
  }

  @Test
  void flacBehindAnId3v2TagIsRead() throws Exception {
    byte[] tag = new byte[10 + 21];
    System.arraycopy("ID3".getBytes(), 0, tag, 0, 3);
    tag[3] = 4;
    tag[9] = 21;
    byte[] flac = concat(tag, resource("tone_s16_stereo.flac"));

    assertThat(validate(flac, "tagged.flac").frames()).isEqualTo(1600);
  }

  @Test
  void everyTruncationOfAFlacFileIsRejected() throws Exception {
    byte[] flac = resource("tone_s24_stereo.flac");
    for (int length = 1; length < flac.length; length++) {
      assertRejected(cut(flac, length), Reason.TRUNCATED, "cut to " + length);
    }
    assertRejected(cut(flac, 0), Reason.EMPTY_FILE, "cut to 0");
  }

  @Test
  void truncatedFlacMessagesSayWhereTheStreamEnds() {
    byte[] flac = resource("tone_s24_stereo.flac");
    int frames = firstFrameOffset(flac);

    assertThatThrownBy(() -> validate(cut(flac, frames), "cut.flac"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(
            "Cannot read audio cut.flac: the FLAC stream ends after 0 of the 1600 samples"
                + " STREAMINFO declares");
    assertThatThrownBy(() -> validate(cut(flac, flac.length - 30), "cut.flac"))
        .hasMessage(
            "Cannot read audio cut.flac: the FLAC stream ends inside frame 2 (after 1152 samples)");
    assertThatThrownBy(() -> validate(cut(flac, 20), "cut.flac"))
        .hasMessage("Cannot read audio cut.flac: the file ends inside the FLAC STREAMINFO block");
  }

  @Test
  void streamedFlacCutInsideAFrameIsTruncatedEvenWithoutASampleCount() throws Exception {
    byte[] flac = resource("streamed_s24_mono.flac");
    int frames = firstFrameOffset(flac);

    // Cut inside the frame header (jflac sees a clean end) and inside a subframe.
    for (int length : new int[] {frames + 3, frames + 100, flac.length - 1}) {
      assertRejected(cut(flac, length), Reason.TRUNCATED, "cut to " + length);
    }
    assertThatThrownBy(() -> validate(cut(flac, frames), "s.flac"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage("Cannot read audio s.flac: the FLAC stream holds no audio frames")
        .extracting(e -> ((AudioFormatException) e).reason())
        .isEqualTo(Reason.ZERO_LENGTH);
  }

  @Test
  void everyBitFlipInTheFramesIsRejectedAndNoneCrashes() throws Exception {
    // This file has no MD5, so frame CRCs alone must catch every flip in the frames.
    byte[] flac = resource("streamed_s24_mono.flac");
    withoutStdout(() -> everyBitFlipInTheFramesIsRejectedAndNoneCrashes(flac));
  }

  private static void everyBitFlipInTheFramesIsRejectedAndNoneCrashes(byte[] flac)
      throws Exception {
    int firstFrameBit = 8 * firstFrameOffset(flac);
    for (int bit = 0; bit < 8 * flac.length; bit++) {
      byte[] damaged = flac.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      try {
        validate(damaged, "flip.flac");
        // Metadata jflac never sees (the Vorbis comment, block sizes) may change unnoticed.
        assertThat(bit).as("undetected flip of bit %d", bit).isLessThan(firstFrameBit);
      } catch (AudioFormatException e) {
        if (bit >= firstFrameBit) {
          // A flipped residual can make the last frame read past the end of the file.
          assertThat(e.reason()).as("bit %d", bit).isIn(Reason.CORRUPT, Reason.TRUNCATED);
        }
      }
    }
  }

  @Test
  void crcErrorIsCorruptAndNamesTheFrame() {
    byte[] flac = resource("tone_s24_stereo.flac");
    byte[] damaged = flac.clone();
    damaged[firstFrameOffset(flac) + 50] ^= 0x10;

    assertThatThrownBy(() -> validate(damaged, "crc.flac"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(
            "Cannot read audio crc.flac: FLAC frame 0 (after 0 samples) does not decode: CRC"
                + " Error: 9bf7 vs a6b0")
        .extracting(e -> ((AudioFormatException) e).reason())
        .isEqualTo(Reason.CORRUPT);
  }

  @Test
  void md5MismatchIsCorrupt() {
    byte[] flac = resource("tone_s16_stereo.flac");
    flac[8 + 18] ^= 1;

    assertThatThrownBy(() -> validate(flac, "md5.flac"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(
            "Cannot read audio md5.flac: the decoded FLAC audio does not match the MD5 signature"
                + " in STREAMINFO");
  }

  @Test
  void sampleCountAboveTheFramesIsTruncatedAndBelowIsCorrupt() throws Exception {
    byte[] more = resource("tone_s16_stereo.flac");
    setStreamInfo(more, 16000, 2, 16, 1601);
    byte[] fewer = resource("tone_s16_stereo.flac");
    setStreamInfo(fewer, 16000, 2, 16, 1599);

    assertRejected(more, Reason.TRUNCATED, "1601");
    assertThatThrownBy(() -> validate(more, "n.flac"))
        .hasMessage(
            "Cannot read audio n.flac: the FLAC stream ends after 1600 of the 1601 samples"
                + " STREAMINFO declares");
    assertThatThrownBy(() -> validate(fewer, "n.flac"))
        .hasMessage(
            "Cannot read audio n.flac: the FLAC frames hold 1600 samples, STREAMINFO declares"
                + " 1599");
  }

  @Test
  void framesThatDisagreeWithStreamInfoAreCorrupt() {
    byte[] flac = resource("tone_s16_stereo.flac");
    setStreamInfo(flac, 16000, 1, 16, 1600);

    assertThatThrownBy(() -> validate(flac, "ch.flac"))
        .hasMessage(
            "Cannot read audio ch.flac: FLAC frame 0 declares 2 channels, 16 bits, 16000 Hz;"
                + " STREAMINFO 1 channels, 16 bits, 16000 Hz");
  }

  @Test
  void streamInfoWithSampleRateZeroIsCorrupt() {
    byte[] flac = resource("tone_s16_stereo.flac");
    setStreamInfo(flac, 0, 2, 16, 1600);

    assertThatThrownBy(() -> probe(flac, "r.flac"))
        .hasMessage("Cannot read audio r.flac: FLAC STREAMINFO declares sample rate 0");
  }

  @Test
  void thirtyTwoBitFlacIsUnsupported() {
    byte[] flac = resource("tone_s16_stereo.flac");
    setStreamInfo(flac, 16000, 2, 32, 1600);

    assertThatThrownBy(() -> validate(flac, "w.flac"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage(
            "Cannot read audio w.flac: FLAC with 32 bits per sample is not supported; at most 24")
        .extracting(e -> ((AudioFormatException) e).reason())
        .isEqualTo(Reason.UNSUPPORTED_FORMAT);
  }

  @Test
  void firstMetadataBlockMustBeStreamInfo() {
    byte[] flac = resource("tone_s16_stereo.flac");
    flac[4] = 4;

    assertThatThrownBy(() -> validate(flac, "m.flac"))
        .hasMessage(
            "Cannot read audio m.flac: the first FLAC metadata block (byte 4) is type 4 of 34"
                + " bytes, not a 34-byte STREAMINFO");
  }

  @Test
  void flacSliceEqualsTheSameSliceOfTheWav() throws Exception {
    DecodedAudio flac =
        AudioDecoder.decode(
            new ByteArrayInputStream(resource("tone_s24_stereo.flac")), "t.flac", 0.05, 0.02);
    DecodedAudio wav =
        AudioDecoder.decode(
            new ByteArrayInputStream(resource("tone_s24_stereo.wav")), "t.wav", 0.05, 0.02);

    assertThat(flac.frames()).isEqualTo(320);
    assertThat(flac.samples()[0]).isEqualTo(wav.samples()[0]);
    assertThat(flac.samples()[1]).isEqualTo(wav.samples()[1]);
  }

  @Test
  void flacSliceStopsReadingAfterItsLastFrame() throws Exception {
    // Damage the last frame: a slice that ends before it never sees the damage.
    byte[] flac = resource("tone_s24_mono.flac");
    flac[flac.length - 100] ^= 0x10;

    DecodedAudio slice = AudioDecoder.decode(new ByteArrayInputStream(flac), "t.flac", 0, 0.03);

    assertThat(slice.frames()).isEqualTo(480);
    assertRejected(flac, Reason.CORRUPT, "whole file");
  }

  interface Body {
    void run() throws Exception;
  }

  /**
   * jflac prints a line to stdout for every escape-coded residual partition, which damaged frames
   * produce by the thousand in a sweep; this keeps the test log readable.
   */
  private static void withoutStdout(Body body) throws Exception {
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      body.run();
    } finally {
      System.setOut(stdout);
    }
  }

  private static void assertRejected(byte[] bytes, Reason reason, String what) throws Exception {
    try {
      validate(bytes, "x.flac");
      fail("%s was accepted", what);
    } catch (AudioFormatException e) {
      assertThat(e.reason()).as(what + ": " + e.getMessage()).isEqualTo(reason);
    }
  }

  /** Where the first frame starts: after "fLaC" and the metadata blocks. */
  static int firstFrameOffset(byte[] flac) {
    int p = 4;
    while (true) {
      boolean last = (flac[p] & 0x80) != 0;
      int length =
          ((flac[p + 1] & 0xFF) << 16) | ((flac[p + 2] & 0xFF) << 8) | (flac[p + 3] & 0xFF);
      p += 4 + length;
      if (last) {
        return p;
      }
    }
  }

  /** Rewrites the packed STREAMINFO fields (file bytes 18..25). */
  private static void setStreamInfo(byte[] flac, int rate, int channels, int bits, long total) {
    long packed =
        ((long) rate << 44) | ((long) (channels - 1) << 41) | ((long) (bits - 1) << 36) | total;
    for (int i = 0; i < 8; i++) {
      flac[8 + 10 + i] = (byte) (packed >>> (56 - 8 * i));
    }
  }
}
