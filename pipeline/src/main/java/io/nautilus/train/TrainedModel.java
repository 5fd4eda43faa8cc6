package io.nautilus.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.io.Storage;
import io.nautilus.train.ckpt.Checkpoint;
import io.nautilus.train.ckpt.CheckpointIO;
import io.nautilus.train.ckpt.Tensor;
import io.nautilus.train.engine.Autograd;
import io.nautilus.train.engine.ParamSet;
import io.nautilus.train.model.Models;
import io.nautilus.train.model.TrainModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A model restored from a checkpoint of a {@code train} run, for evaluation and transcription. The
 * network is rebuilt from the run's {@code hparams.yaml} (next to {@code checkpoints/}), then the
 * weights (or the EMA weights) and the BatchNorm statistics are loaded.
 */
public final class TrainedModel implements AutoCloseable {
  private final NDManager manager;
  private final TrainModel model;
  private final TrainOptions options;
  private final Path checkpoint;

  private TrainedModel(NDManager manager, TrainModel model, TrainOptions options, Path checkpoint) {
    this.manager = manager;
    this.model = model;
    this.options = options;
    this.checkpoint = checkpoint;
  }

  public TrainModel model() {
    return model;
  }

  public TrainOptions options() {
    return options;
  }

  public Path checkpoint() {
    return checkpoint;
  }

  public NDManager manager() {
    return manager;
  }

  /**
   * Resolves what the user named: a {@code .ckpt} file, or an experiment version folder (its {@code
   * -last} checkpoint), or a {@code checkpoints/} folder.
   */
  public static Path resolve(Storage storage, String location) throws IOException {
    Path p = storage.qualify(location);
    if (storage.isFile(p)) {
      return p;
    }
    Path dir = p.getName().equals("checkpoints") ? p : new Path(p, "checkpoints");
    if (!storage.exists(dir)) {
      throw new IllegalArgumentException(
          "Cannot find a checkpoint at "
              + location
              + ": give a .ckpt file or an experiment folder");
    }
    List<Path> last = new ArrayList<>();
    for (FileStatus s : storage.fs(dir).listStatus(dir)) {
      if (s.getPath().getName().endsWith("-last.ckpt")) {
        last.add(s.getPath());
      }
    }
    if (last.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot find a -last checkpoint in " + dir + "; name a .ckpt file instead");
    }
    last.sort((a, b) -> Long.compare(step(b), step(a)));
    return last.get(0);
  }

  private static long step(Path p) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("-step=(\\d+)").matcher(p.getName());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * @param useEma load the EMA weights when the checkpoint has them
   */
  public static TrainedModel load(Storage storage, String location, Device device, boolean useEma)
      throws IOException {
    Path ckpt = resolve(storage, location);
    Path hparams = new Path(ckpt.getParent().getParent(), "hparams.yaml");
    if (!storage.exists(hparams)) {
      throw new IllegalArgumentException(
          "Cannot load " + ckpt + ": the run's hparams.yaml is not at " + hparams);
    }
    java.nio.file.Path local = Files.createTempFile("nautilus-hparams", ".yaml");
    TrainOptions o;
    try {
      Files.writeString(local, storage.readString(hparams));
      Config c = ConfigLoader.load(TrainConfig.SCHEMA, local, List.of());
      o = TrainConfig.options(c);
    } finally {
      Files.deleteIfExists(local);
    }
    Checkpoint c = CheckpointIO.read(storage, ckpt);
    NDManager manager = NDManager.newBaseManager(device, "PyTorch");
    try (Autograd off = Autograd.pause()) {
      TrainModel model = Models.create(o, 0);
      model.block().initialize(manager, DataType.FLOAT32, model.inputShapes());
      ParamSet params = ParamSet.of(model.block());
      String prefix =
          useEma && c.tensors().keySet().stream().anyMatch(k -> k.startsWith("ema/"))
              ? "ema/"
              : "model/";
      Map<String, float[]> weights = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          weights.put(e.getKey().substring(prefix.length()), e.getValue().data());
        }
      }
      params.load(weights, ckpt.toString());
      for (Map.Entry<String, NDArray> b : model.buffers().entrySet()) {
        Tensor t = c.tensors().get("buffer/" + b.getKey());
        if (t == null) {
          throw new IllegalArgumentException(
              "Cannot load " + ckpt + ": it lacks buffer/" + b.getKey());
        }
        b.getValue().set(FloatBuffer.wrap(t.data()));
      }
      return new TrainedModel(manager, model, o, ckpt);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
