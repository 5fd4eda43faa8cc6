package io.nautilus.audio;

import static io.nautilus.audio.TestAudio.concat;
import static io.nautilus.audio.TestAudio.cut;
import static io.nautilus.audio.TestAudio.probe;
import static io.nautilus.audio.TestAudio.resource;
import static io.nautilus.audio.TestAudio.validate;
import static io.nautilus.audio.TestAudio.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.audio.AudioFormatException.Reason;
import io.nautilus.audio.TestAudio.WavBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class AudioRejectTest {

  private static final byte[] FOUR_S16_FRAMES = {1, 0, 2, 0, 3, 0, 4, 0};

  @Test
  void emptyFileIsEmpty() {
    assertRejected(new byte[0], "e.wav", Reason.EMPTY_FILE)
        .hasMessage("Cannot read audio e.wav: the file is empty (0 bytes)");
  }

  @Test
  void textFileNamedWavIsNotAudio() {
    byte[] text = "hello, I am a transcript\n".getBytes(StandardCharsets.UTF_8);

    assertRejected(text, "speech.wav", Reason.NOT_AUDIO)
        .hasMessage(
            "Cannot read audio speech.wav: no WAV or FLAC signature; the file starts with text"
                + " \"hello, I am a tr\"");
  }

  @Test
  void jsonFileIsNotAudio() {
    byte[] json = "{\"audio_filepath\": \"a.wav\", \"duration\": 1.5}".getBytes();

    assertRejected(json, "a.flac", Reason.NOT_AUDIO)
        .hasMessage(
            "Cannot read audio a.flac: no WAV or FLAC signature; the file starts with text"
                + " \"{\\\"audio_filepath\"");
  }

  @Test
  void binaryGarbageIsNotAudio() {
    assertRejected(new byte[] {0, 1, 2, (byte) 0xFE, 4, 5, 6, 7, 8, 9}, "g.wav", Reason.NOT_AUDIO)
        .hasMessage(
            "Cannot read audio g.wav: no WAV or FLAC signature; the file starts with bytes 00 01"
                + " 02 fe 04 05 06 07");
  }

  @Test
  void riffFileOfAnotherKindIsNotAudio() {
    byte[] avi = WavBuilder.riff().build();
    System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);

    assertRejected(avi, "v.wav", Reason.NOT_AUDIO)
        .hasMessage("Cannot read audio v.wav: a RIFF file of type \"AVI \", not WAVE audio");
  }

  @Test
  void mp3FrameSyncIsUnsupportedMp3() {
    byte[] mp3 = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0, 0, 0};

    assertRejected(mp3, "a.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio a.wav: MP3 (MPEG audio layer III) is not supported; only WAV and"
                + " FLAC are");
  }

  @Test
  void id3TaggedMp3IsUnsupportedMp3() {
    byte[] tag = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 4, 'T', 'I', 'T', '2'};
    byte[] frame = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0};

    assertRejected(concat(tag, frame), "a.mp3", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio a.mp3: MP3 (MPEG audio layer III) is not supported; only WAV and"
                + " FLAC are");
    assertRejected(concat(tag, new byte[] {1, 2, 3, 4}), "b.mp3", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio b.mp3: audio behind an ID3v2 tag that is neither WAV nor FLAC"
                + " (probably MP3) is not supported; only WAV and FLAC are");
  }

  @Test
  void realOggVorbisFileIsUnsupportedOggVorbis() {
    assertRejected(resource("tone.ogg"), "tone.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio tone.wav: Ogg Vorbis is not supported; only WAV and FLAC are");
  }

  @Test
  void oggOpusAiffAndMp4AreNamed() {
    byte[] opus = new byte[40];
    System.arraycopy("OggS".getBytes(), 0, opus, 0, 4);
    opus[26] = 1;
    System.arraycopy("OpusHead".getBytes(), 0, opus, 28, 8);
    byte[] aiff = "FORM\0\0\0\0AIFFCOMM".getBytes(StandardCharsets.ISO_8859_1);
    byte[] mp4 = "\0\0\0\u0020ftypM4A \0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

    assertRejected(opus, "o", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read audio o: Ogg Opus is not supported; only WAV and FLAC are");
    assertRejected(aiff, "a", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read audio a: AIFF is not supported; only WAV and FLAC are");
    assertRejected(mp4, "m", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio m: MP4/M4A (ISO media) is not supported; only WAV and FLAC are");
  }

  @Test
  void wavCutInsideItsHeaderIsTruncated() throws Exception {
    byte[] bytes = wav(new float[][] {{0.1f, 0.2f}}, 8000, Encoding.PCM_S16);

    assertRejected(cut(bytes, 2), "h.wav", Reason.TRUNCATED)
        .hasMessage("Cannot read audio h.wav: the file has only 2 bytes, too few for a header");
    assertRejected(cut(bytes, 10), "h.wav", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read audio h.wav: the file ends inside its 12-byte RIFF header (10"
                + " bytes)");
    assertRejected(cut(bytes, 30), "h.wav", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read audio h.wav: the file ends inside chunk 'fmt ' at byte 12, which"
                + " declares 16 bytes");
    assertRejected(cut(bytes, 36), "h.wav", Reason.TRUNCATED)
        .hasMessage("Cannot read audio h.wav: the file ends after 36 bytes without a data chunk");
    assertRejected(cut(bytes, 40), "h.wav", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read audio h.wav: the file ends inside the chunk header at byte 36 (4 of 8"
                + " bytes)");
  }

  @Test
  void wavCutInsideItsDataIsTruncated() throws Exception {
    byte[] bytes = wav(TestAudio.noise(2, 100, 1), 8000, Encoding.PCM_S24);

    assertRejected(cut(bytes, 44 + 301), "d.wav", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read audio d.wav: the data chunk declares 600 bytes but only 301 are"
                + " present");
    assertRejected(cut(bytes, 44 + 300), "d.wav", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read audio d.wav: the data chunk declares 600 bytes but only 300 are"
                + " present");
  }

  @Test
  void everyCutOfAWavFileIsRejectedAsTruncated() throws Exception {
    byte[] bytes = wav(TestAudio.noise(2, 20, 1), 8000, Encoding.FLOAT32);
    for (int length = 1; length < bytes.length; length++) {
      try {
        validate(cut(bytes, length), "c.wav");
        org.assertj.core.api.Assertions.fail("cut to %d was accepted", length);
      } catch (AudioFormatException e) {
        assertThat(e.reason())
            .as("cut to %d: %s", length, e.getMessage())
            .isEqualTo(Reason.TRUNCATED);
      }
    }
  }

  @Test
  void headerProbeDoesNotNoticeMissingData() throws Exception {
    byte[] bytes = wav(TestAudio.noise(1, 100, 1), 8000, Encoding.PCM_S16);

    assertThat(probe(cut(bytes, 60), "p.wav").frames()).isEqualTo(100);
  }

  @Test
  void muLawAndAdpcmWavAreUnsupported() {
    byte[] mulaw = WavBuilder.riff().fmt(7, 1, 8000, 8).chunk("data", new byte[4]).build();
    byte[] adpcm = WavBuilder.riff().fmt(2, 1, 8000, 4, 256).chunk("data", new byte[256]).build();

    assertRejected(mulaw, "u.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio u.wav: WAV format tag 7 (mu-law) is not supported; only PCM (1)"
                + " and IEEE float (3) are");
    assertRejected(adpcm, "a.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio a.wav: WAV format tag 2 (Microsoft ADPCM) is not supported; only"
                + " PCM (1) and IEEE float (3) are");
  }

  @Test
  void extensibleWithUnsupportedSubformatIsUnsupported() {
    byte[] alaw =
        WavBuilder.riff().extensibleFmt(6, 1, 8000, 8, 8).chunk("data", new byte[4]).build();
    byte[] ambisonic = alaw.clone();
    ambisonic[12 + 8 + 28] = 0x07; // a GUID outside the format-tag family

    assertRejected(alaw, "x.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio x.wav: WAVE_FORMAT_EXTENSIBLE subformat 6 (A-law) is not"
                + " supported; only PCM (1) and IEEE float (3) are");
    assertRejected(ambisonic, "y.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio y.wav: WAVE_FORMAT_EXTENSIBLE subformat"
                + " 00000006-0007-0010-8000-00aa00389b71 is not supported; only PCM and IEEE"
                + " float are");
  }

  @Test
  void oddFloatAndPcmWidthsAreUnsupported() {
    byte[] f16 = WavBuilder.riff().fmt(3, 1, 8000, 16).chunk("data", new byte[4]).build();
    byte[] pcm48 = WavBuilder.riff().fmt(1, 1, 8000, 48).chunk("data", new byte[6]).build();

    assertRejected(f16, "f.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio f.wav: IEEE float with 16 bits per sample is not supported; 32 and"
                + " 64 are");
    assertRejected(pcm48, "p.wav", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read audio p.wav: PCM with 48 bits per sample is not supported; 8, 16, 24 and"
                + " 32 are");
  }

  @Test
  void wavWithNoFramesIsZeroLength() throws Exception {
    byte[] empty = wav(new float[][] {{}}, 16000, Encoding.PCM_S16);
    byte[] emptyStream =
        WavBuilder.riff().fmt(1, 1, 8000, 16).chunk("data", 0x7FFFF000L, new byte[0]).build();

    assertRejected(empty, "z.wav", Reason.ZERO_LENGTH)
        .hasMessage("Cannot read audio z.wav: the data chunk holds no audio frames");
    assertThatThrownBy(() -> probe(empty, "z.wav")).isInstanceOf(AudioFormatException.class);
    assertRejected(emptyStream, "s.wav", Reason.ZERO_LENGTH)
        .hasMessage("Cannot read audio s.wav: the data chunk holds no audio frames");
  }

  @Test
  void inconsistentFmtChunksAreCorrupt() {
    byte[] noChannels = WavBuilder.riff().fmt(1, 0, 8000, 16, 2).chunk("data", new byte[4]).build();
    byte[] noRate = WavBuilder.riff().fmt(1, 1, 0, 16).chunk("data", new byte[4]).build();
    byte[] badAlign = WavBuilder.riff().fmt(1, 2, 8000, 16, 2).chunk("data", new byte[4]).build();
    byte[] shortFmt =
        WavBuilder.riff().chunk("fmt ", new byte[14]).chunk("data", new byte[4]).build();

    assertRejected(noChannels, "c.wav", Reason.CORRUPT)
        .hasMessage("Cannot read audio c.wav: the fmt chunk declares 0 channels");
    assertRejected(noRate, "r.wav", Reason.CORRUPT)
        .hasMessage("Cannot read audio r.wav: the fmt chunk declares sample rate 0");
    assertRejected(badAlign, "a.wav", Reason.CORRUPT)
        .hasMessage(
            "Cannot read audio a.wav: block align 2 does not match 2 channels of 2 bytes"
                + " (expected 4)");
    assertRejected(shortFmt, "s.wav", Reason.CORRUPT)
        .hasMessage("Cannot read audio s.wav: the fmt chunk has 14 bytes, at least 16 are needed");
  }

  @Test
  void dataSizeThatIsNotWholeFramesIsCorrupt() {
    byte[] bytes = WavBuilder.riff().fmt(1, 2, 8000, 16).chunk("data", new byte[6]).build();

    assertRejected(bytes, "o.wav", Reason.CORRUPT)
        .hasMessage(
            "Cannot read audio o.wav: the data chunk declares 6 bytes, not a whole number of"
                + " 4-byte frames");
  }

  @Test
  void brokenChunkStructureIsCorrupt() {
    byte[] bytes =
        WavBuilder.riff().fmt(1, 1, 8000, 16).raw(new byte[] {0, 0, 0, 0, 4, 0, 0, 0}).build();
    byte[] dataFirst = WavBuilder.riff().chunk("data", FOUR_S16_FRAMES).fmt(1, 1, 8000, 16).build();

    assertRejected(bytes, "b.wav", Reason.CORRUPT)
        .hasMessage(
            "Cannot read audio b.wav: broken chunk structure: bytes 00 00 00 00 at byte 36 are"
                + " not a chunk id");
    assertRejected(dataFirst, "d.wav", Reason.CORRUPT)
        .hasMessage(
            "Cannot read audio d.wav: the data chunk at byte 12 comes before any fmt chunk");
  }

  @Test
  void nonFiniteFloatSamplesAreCorrupt() throws Exception {
    byte[] bytes = wav(new float[][] {{0f, 0.5f, 0f}}, 8000, Encoding.FLOAT32);
    LittleEndian.put32(bytes, 58 + 4, Float.floatToRawIntBits(Float.NaN));

    assertRejected(bytes, "n.wav", Reason.CORRUPT)
        .hasMessage("Cannot read audio n.wav: the float sample at frame 1 is not a finite number");
    assertThatThrownBy(() -> TestAudio.decode(bytes, "n.wav"))
        .hasMessage("Cannot read audio n.wav: the float sample at frame 1 is not a finite number");
  }

  @Test
  void failingStreamIsAnIoExceptionNotARejection() {
    byte[] wavBytes = resource("tone_s16_stereo.wav");
    byte[] flacBytes = resource("tone_s16_stereo.flac");

    assertThatThrownBy(() -> AudioProbe.validate(failingAfter(wavBytes, 1000), "w.wav"))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThatThrownBy(() -> AudioProbe.validate(failingAfter(flacBytes, 1000), "f.flac"))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThatThrownBy(() -> AudioProbe.validate(failingAfter(flacBytes, 20), "f.flac"))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
  }

  /** A stream that serves {@code limit} bytes, then fails like a dropped connection. */
  private static InputStream failingAfter(byte[] bytes, int limit) {
    return new InputStream() {
      private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);
      private int served;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served >= limit) {
          throw new IOException("connection reset");
        }
        int n = in.read(b, off, Math.min(len, limit - served));
        served += Math.max(n, 0);
        return n;
      }
    };
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      byte[] bytes, String name, Reason reason) {
    AbstractThrowableAssert<?, ? extends Throwable> thrown =
        assertThatThrownBy(() -> validate(bytes, name)).isInstanceOf(AudioFormatException.class);
    thrown.extracting(e -> ((AudioFormatException) e).reason()).as("reason").isEqualTo(reason);
    return thrown;
  }
}
