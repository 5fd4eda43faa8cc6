package io.nautilus.asr.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.nautilus.asr.AsrCtcModel;
import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.io.Storage;
import io.nautilus.train.TrainedModel;
import io.nautilus.train.engine.Autograd;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Transcribes local audio files with a trained speech model, without Spark: the model is loaded
 * once, each file is decoded and transcribed on its own, and a file that fails does not stop the
 * others.
 */
public final class Transcriber implements AutoCloseable {
  private final TrainedModel trained;
  private final AsrCtcModel model;

  private Transcriber(TrainedModel trained, AsrCtcModel model) {
    this.trained = trained;
    this.model = model;
  }

  /**
   * @param checkpoint a .ckpt file or an experiment version folder
   * @throws IllegalArgumentException when there is no checkpoint there or it is not a speech model
   */
  public static Transcriber load(Storage storage, String checkpoint, Device device, boolean useEma)
      throws IOException {
    TrainedModel trained = TrainedModel.load(storage, checkpoint, device, useEma);
    if (!(trained.model() instanceof AsrCtcModel model)) {
      String kind = trained.options().modelName();
      trained.close();
      throw new IllegalArgumentException(
          "Cannot transcribe with "
              + checkpoint
              + ": it is a "
              + kind
              + " model, not a speech model (asr_ctc)");
    }
    return new Transcriber(trained, model);
  }

  public String checkpoint() {
    return trained.checkpoint().toString();
  }

  /** The files named: files as given, folders searched (recursively, sorted) for .wav and .flac. */
  public static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(Transcriber::isAudio)
              .sorted()
              .forEach(files::add);
        }
      } else {
        files.add(p);
      }
    }
    return files;
  }

  private static boolean isAudio(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".wav") || name.endsWith(".flac");
  }

  /**
   * The greedy transcript of one WAV or FLAC file.
   *
   * @throws IOException when the file cannot be read
   * @throws AudioFormatException when it is not usable audio
   */
  public String transcribe(Path file) throws IOException, AudioFormatException {
    float[] audio;
    try (InputStream in = Files.newInputStream(file)) {
      audio = model.audio(AudioDecoder.decode(in, file.toString()));
    }
    if (audio.length == 0) {
      throw new AudioFormatException(
          AudioFormatException.Reason.ZERO_LENGTH, file.toString(), "it holds no samples");
    }
    try (Autograd off = Autograd.pause();
        NDManager scoped = trained.manager().newSubManager()) {
      NDList batch = AsrCtcModel.audioBatch(List.of(audio), scoped);
      return model.transcribe(batch.get(0), batch.get(1)).get(0);
    }
  }

  /**
   * Prints {@code path<TAB>transcript} for each file to {@code out}, and one line per failure to
   * {@code err}.
   *
   * @return the number of files that failed
   */
  public int transcribeAll(List<Path> files, PrintStream out, PrintStream err) {
    int failed = 0;
    for (Path f : files) {
      try {
        out.println(f + "\t" + transcribe(f));
      } catch (IOException | AudioFormatException | IllegalArgumentException e) {
        String m =
            e instanceof java.nio.file.NoSuchFileException
                ? "no such file"
                : String.valueOf(e.getMessage());
        err.println(m.startsWith("Cannot ") ? m : "Cannot transcribe " + f + ": " + m);
        failed++;
      }
    }
    out.flush();
    return failed;
  }

  @Override
  public void close() {
    trained.close();
  }
}
