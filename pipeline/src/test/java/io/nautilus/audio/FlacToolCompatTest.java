package io.nautilus.audio;

import static io.nautilus.audio.FlacEncoderTest.flac;
import static io.nautilus.audio.FlacEncoderTest.pcm;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nautilus.audio.FlacEncoderTest.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference decoder, libFLAC's {@code flac} tool, against our encoder's bytes. */
class FlacToolCompatTest {

  @TempDir Path dir;

  @BeforeAll
  static void needsTheFlacTool() {
    boolean found;
    try {
      Process process = new ProcessBuilder("flac", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      found = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      found = false;
    }
    assumeTrue(found, "the flac command is not installed");
  }

  @ParameterizedTest(name = "{0}, {1}-bit, {2} channels, {3} frames at {4} Hz")
  @CsvSource({
    "NOISE, 16, 1, 10000, 16000",
    "SINE, 16, 2, 10000, 44100",
    "FULL_SCALE, 24, 2, 5000, 48000",
    "STEPS, 24, 6, 9000, 22050",
    "SINE, 16, 1, 1, 16000",
    "SILENCE, 16, 2, 4097, 8000",
    "NOISE, 12, 3, 3000, 44101",
    "SINE, 20, 8, 3000, 700001",
    "NOISE, 24, 1, 3000, 1048575"
  })
  void flacToolVerifiesTheFileAndDecodesTheSameIntegers(
      Signal signal, int bits, int channels, int frames, int rate) throws Exception {
    int[][] pcm = pcm(signal, bits, channels, frames, 7L * frames);
    Path file = dir.resolve("x.flac");
    Files.write(file, flac(pcm, rate, bits));
    Path raw = dir.resolve("x.raw");

    // -t checks every frame CRC and the STREAMINFO MD5 and sample count.
    runFlac("-t", "-w", file.toString());
    if (bits % 8 != 0) {
      return; // raw output takes whole bytes only; the MD5 check above covered the samples
    }
    runFlac(
        "-d",
        "-f",
        "--force-raw-format",
        "--endian=little",
        "--sign=signed",
        "-o",
        raw.toString(),
        file.toString());

    assertThat(Files.readAllBytes(raw)).isEqualTo(interleaved(pcm, bits));
  }

  /** Signed little-endian samples in whole bytes, frame by frame, as raw PCM is laid out. */
  private static byte[] interleaved(int[][] pcm, int bits) {
    int bytes = (bits + 7) / 8;
    byte[] out = new byte[pcm.length * pcm[0].length * bytes];
    int p = 0;
    for (int i = 0; i < pcm[0].length; i++) {
      for (int[] channel : pcm) {
        for (int k = 0; k < bytes; k++) {
          out[p++] = (byte) (channel[i] >> (8 * k));
        }
      }
    }
    return out;
  }

  private static void runFlac(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("flac", "-s"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(new String(output, UTF_8)).isZero();
  }
}
