package io.nautilus.jobs;

import ai.djl.Device;
import io.nautilus.asr.eval.Transcriber;
import io.nautilus.io.Storage;
import io.nautilus.run.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nautilus transcribe}: a trained speech model on local audio files, no Spark. */
@Command(
    name = "transcribe",
    mixinStandardHelpOptions = true,
    description = {
      "Print 'path<TAB>transcript' for each WAV or FLAC file (folders are searched for .wav and",
      ".flac). A file that cannot be read is reported on stderr and the others are still",
      "transcribed; the exit code is then 1.",
      "",
      "Example:",
      "  ./nautilus transcribe -m out/experiments/conv_ctc_small/<version> data/sample/asr/wavs",
      ""
    })
final class TranscribeCommand implements Callable<Integer> {
  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "CHECKPOINT",
      description = "a .ckpt file, or an experiment version folder (its newest -last checkpoint)")
  String model;

  @Option(names = "--use-ema", description = "load the EMA weights when the checkpoint has them")
  boolean useEma;

  @Option(
      names = "--gpu",
      paramLabel = "N",
      description = "run on GPU N instead of the CPU",
      defaultValue = "-1")
  int gpu;

  @Parameters(paramLabel = "AUDIO", arity = "1..*", description = "audio files or folders")
  List<Path> inputs;

  @Override
  public Integer call() throws IOException {
    List<Path> files = Transcriber.expand(inputs);
    Device device = gpu >= 0 ? Device.gpu(gpu) : Device.cpu();
    Transcriber transcriber;
    try {
      transcriber = Transcriber.load(Storage.local(), model, device, useEma);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    try (transcriber) {
      int failed = transcriber.transcribeAll(files, System.out, System.err);
      if (failed > 0) {
        System.err.println(
            "nautilus transcribe: " + failed + " of " + files.size() + " files failed");
        return Main.FAILED;
      }
      return Main.OK;
    }
  }
}
