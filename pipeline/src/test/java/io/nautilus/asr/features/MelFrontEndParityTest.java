package io.nautilus.asr.features;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.PythonReference;
import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.DecodedAudio;
import io.nautilus.audio.dsp.Resampler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mel power before the log against torchaudio's {@code MelSpectrogram} (Debian {@code
 * python3-torchaudio}) on three shipped sample utterances. The 22.05 kHz espeak WAVs are first
 * resampled to 16 kHz with {@link Resampler}, since the reference window of 25 ms is longer than
 * {@code n_fft} 512 at 22.05 kHz. torchaudio gets the pre-emphasised signal, a symmetric Hann
 * window ({@code periodic=False}, as NeMo), {@code center=True, pad_mode="constant"}, Slaney scale
 * and norm. Our side runs the three as one padded batch, so the test also shows that batch padding
 * does not reach any valid frame.
 */
class MelFrontEndParityTest {
  private static final List<String> WAVS =
      List.of("dev_000000.wav", "dev_000001.wav", "train_000003.wav");

  /**
   * Relative error |ours - theirs| / max(|theirs|, 1e-6 * max(theirs)): bins 60 dB and more below
   * the utterance's peak are compared against that floor, as float32 FFT rounding is absolute.
   */
  private static final double TOLERANCE = 1e-3;

  @Test
  void melPowerMatchesTorchaudioWithinOnePermille(@TempDir Path tmp) throws Exception {
    MelConfig config = MelConfig.defaults();
    List<float[]> signals = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    Resampler resampler = Resampler.of(22050, config.sampleRate());
    for (String name : WAVS) {
      DecodedAudio audio;
      try (InputStream in = Files.newInputStream(sampleDir().resolve(name))) {
        audio = AudioDecoder.decode(in, name);
      }
      assertThat(audio.sampleRate()).isEqualTo(22050);
      float[] samples = resampler.resample(audio.samples()[0]);
      signals.add(samples);
      Path raw = tmp.resolve(name + ".f32");
      Files.write(raw, littleEndian(samples));
      paths.add(raw.toString());
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("sample_rate", config.sampleRate());
    request.put("n_fft", config.nFft());
    request.put("win_length", config.winLength());
    request.put("hop_length", config.hopLength());
    request.put("n_mels", config.features());
    request.put("f_min", config.lowfreq());
    request.put("f_max", config.highfreq());
    request.put("preemph", config.preemph());
    request.put("signals", paths);
    JsonNode reply =
        PythonReference.runJson(
            new ObjectMapper(),
            "/asr/torchaudio_mel.py",
            request,
            "python3-torch python3-torchaudio");

    int longest = signals.stream().mapToInt(s -> s.length).max().orElseThrow();
    float[] batch = new float[signals.size() * longest];
    int[] lengths = new int[signals.size()];
    for (int b = 0; b < signals.size(); b++) {
      System.arraycopy(signals.get(b), 0, batch, b * longest, signals.get(b).length);
      lengths[b] = signals.get(b).length;
    }
    MelFrontEnd frontEnd = new MelFrontEnd(config);
    double worst = 0;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray audio = manager.create(batch, new Shape(signals.size(), longest));
      NDArray power = frontEnd.melPower(audio, lengths, false, 0);
      int bands = config.features();
      int total = (int) power.getShape().get(2);
      float[] ours = power.toFloatArray();
      for (int b = 0; b < signals.size(); b++) {
        int frames = config.frames(lengths[b]);
        assertThat(reply.get("frames").get(b).asInt()).isEqualTo(frames);
        float[] theirs = readLittleEndian(Path.of(paths.get(b) + ".mel"));
        assertThat(theirs).hasSize(bands * frames);
        double peak = 0;
        for (float v : theirs) {
          peak = Math.max(peak, v);
        }
        assertThat(peak).as("a silent reference proves nothing").isGreaterThan(0.01);
        for (int m = 0; m < bands; m++) {
          for (int t = 0; t < frames; t++) {
            double want = theirs[m * frames + t];
            double got = ours[(b * bands + m) * total + t];
            double error = Math.abs(got - want) / Math.max(Math.abs(want), 1e-6 * peak);
            worst = Math.max(worst, error);
          }
        }
      }
    }
    System.out.printf(
        "mel power vs torchaudio %s: max relative error %.3g%n",
        reply.get("torchaudio").asText(), worst);
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
  }

  static Path sampleDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data/sample/asr/wavs"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent of the working directory holding data/sample/asr").isNotNull();
    return dir.resolve("data/sample/asr/wavs");
  }

  private static byte[] littleEndian(float[] samples) {
    ByteBuffer buffer = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(samples);
    return buffer.array();
  }

  private static float[] readLittleEndian(Path path) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[buffer.remaining() / 4];
    buffer.asFloatBuffer().get(values);
    return values;
  }
}
