package io.nautilus.prepare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real WAV files for prepare tests: a sine of the given length, as 16-bit PCM or float32. */
public final class TestAudio {
  private TestAudio() {}

  public static Path sine(Path file, double seconds, int rate, int channels, double freq)
      throws IOException {
    return write(file, seconds, rate, channels, freq, false);
  }

  public static Path sineFloat(Path file, double seconds, int rate, double freq)
      throws IOException {
    return write(file, seconds, rate, 1, freq, true);
  }

  private static Path write(
      Path file, double seconds, int rate, int channels, double freq, boolean fl)
      throws IOException {
    int frames = (int) Math.round(seconds * rate);
    int bytesPerSample = fl ? 4 : 2;
    int dataLen = frames * channels * bytesPerSample;
    ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + dataLen).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) (fl ? 3 : 1)).putShort((short) channels);
    b.putInt(rate).putInt(rate * channels * bytesPerSample);
    b.putShort((short) (channels * bytesPerSample)).putShort((short) (bytesPerSample * 8));
    b.put("data".getBytes()).putInt(dataLen);
    for (int i = 0; i < frames; i++) {
      double v = 0.5 * Math.sin(2 * Math.PI * freq * i / rate);
      for (int c = 0; c < channels; c++) {
        if (fl) {
          b.putFloat((float) v);
        } else {
          b.putShort((short) Math.round(v * 32767));
        }
      }
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
    return file;
  }
}
