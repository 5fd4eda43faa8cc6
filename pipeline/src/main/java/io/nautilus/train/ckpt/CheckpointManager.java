package io.nautilus.train.ckpt;

import io.nautilus.io.AttemptFile;
import io.nautilus.io.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The checkpoints of one run in one directory, on any Hadoop file system: saving top-k and last
 * checkpoints by a {@link CheckpointPolicy}, the end marker, and finding what to resume from.
 *
 * <p>All state lives in the file names, so a restarted process sees the same ranking: the
 * constructor rebuilds it from the directory listing, and removes temporary files left by a write
 * that was killed (a checkpoint directory has one writer, rank 0 of one run, so a temporary file
 * found at start belongs to a writer that is gone). Not thread-safe.
 */
public final class CheckpointManager {
  private final Storage storage;
  private final Path dir;
  private final CheckpointPolicy policy;
  private final TopK topK;
  private final List<String> warnings = new ArrayList<>();
  private int warningsTaken;

  /** A checkpoint read back, with where it came from. */
  public record Loaded(Path path, Checkpoint checkpoint) {}

  public CheckpointManager(Storage storage, Path checkpointsDir, CheckpointPolicy policy)
      throws IOException {
    this.storage = Objects.requireNonNull(storage, "storage is null");
    this.policy = Objects.requireNonNull(policy, "policy is null");
    Objects.requireNonNull(checkpointsDir, "checkpointsDir is null");
    this.dir = storage.fs(checkpointsDir).makeQualified(checkpointsDir);
    this.topK = new TopK(policy);
    String tempPrefix = "." + policy.filenamePrefix() + "--";
    for (FileStatus s : listFiles()) {
      String name = s.getPath().getName();
      if (name.startsWith(tempPrefix)
          && name.contains(CheckpointName.EXTENSION + AttemptFile.TMP_INFIX)) {
        if (storage.fs(dir).delete(s.getPath(), false)) {
          warn("Removed " + s.getPath() + ", a checkpoint left half-written by an interrupted run");
        }
        continue;
      }
      CheckpointName.parse(policy, name).filter(n -> !n.last()).ifPresent(topK::add);
    }
  }

  public Storage storage() {
    return storage;
  }

  /** The checkpoint directory, fully qualified. */
  public Path dir() {
    return dir;
  }

  public CheckpointPolicy policy() {
    return policy;
  }

  /**
   * Saves {@code c} as a top-k candidate if it ranks within {@code save_top_k}, evicting the worst
   * (between equal values the older goes), after the new file is complete.
   *
   * @param monitorValue the monitored metric; null or NaN when it is not available, which makes
   *     this no candidate (with a warning)
   * @return the file written, or empty when {@code c} did not rank
   */
  public Optional<Path> saveTopK(Checkpoint c, long step, int epoch, Double monitorValue)
      throws IOException {
    if (policy.saveTopK() == 0) {
      return Optional.empty();
    }
    if (monitorValue == null || monitorValue.isNaN()) {
      warn(
          "Not saving a top-k checkpoint at step "
              + step
              + ": monitor "
              + policy.monitor()
              + (monitorValue == null ? " has no value" : " is NaN")
              + "; log it before the checkpoint is taken, or set save_top_k=0");
      return Optional.empty();
    }
    CheckpointName name = CheckpointName.topK(policy, monitorValue, epoch, step);
    if (!topK.accepts(name)) {
      return Optional.empty();
    }
    Path path = new Path(dir, name.fileName());
    CheckpointIO.write(storage, path, c);
    topK.add(name);
    for (CheckpointName evicted : topK.evictOverflow()) {
      delete(new Path(dir, evicted.fileName()));
    }
    return Optional.of(path);
  }

  /**
   * Saves {@code c} as the last checkpoint and only then deletes the previous ones, so a crash in
   * between leaves two, of which {@link #latest()} takes the newer. Writes whether or not the
   * policy's {@code save_last} is set: the caller decides.
   */
  public Path saveLast(Checkpoint c, long step, int epoch, Double monitorValue) throws IOException {
    CheckpointName name = CheckpointName.last(policy, monitorValue, epoch, step);
    Path path = new Path(dir, name.fileName());
    CheckpointIO.write(storage, path, c);
    for (CheckpointName old : checkpoints()) {
      if (old.last() && !old.fileName().equals(name.fileName())) {
        delete(new Path(dir, old.fileName()));
      }
    }
    return path;
  }

  /**
   * Marks the run finished with a small {@code *end.ckpt} file (a checkpoint with no tensors and
   * meta {@code step}, {@code end}), which NeMo's resume takes as "this run is done".
   */
  public Path markEnd(long step) throws IOException {
    LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
    meta.put("step", step);
    meta.put("end", true);
    Path path = new Path(dir, CheckpointName.end(policy, step));
    CheckpointIO.write(storage, path, new Checkpoint(meta, new LinkedHashMap<>()));
    return path;
  }

  /** Whether the directory holds an end marker: any {@code *end.ckpt}, as NeMo looks for. */
  public boolean ended() throws IOException {
    return endMarker().isPresent();
  }

  /** The end marker, if the run has finished. */
  public Optional<Path> endMarker() throws IOException {
    for (FileStatus s : listFiles()) {
      String name = s.getPath().getName();
      if (!name.startsWith(".") && name.endsWith(CheckpointName.END_SUFFIX)) {
        return Optional.of(s.getPath());
      }
    }
    return Optional.empty();
  }

  /**
   * The newest checkpoint that loads, by step, among the last and top-k files; at equal steps a
   * last file first. Each truncated or corrupt one is skipped with a warning. Other I/O errors are
   * thrown: skipping a good checkpoint over a network error would silently lose training.
   */
  public Optional<Loaded> latest() throws IOException {
    List<CheckpointName> candidates = checkpoints();
    candidates.sort(
        Comparator.comparingLong(CheckpointName::step)
            .thenComparing(CheckpointName::last)
            .thenComparing(CheckpointName::fileName)
            .reversed());
    for (CheckpointName candidate : candidates) {
      Path path = new Path(dir, candidate.fileName());
      try {
        return Optional.of(new Loaded(path, CheckpointIO.read(storage, path)));
      } catch (CorruptCheckpointException e) {
        warn("Skipping checkpoint " + path + ": " + e.reason() + "; using an earlier one");
      } catch (FileNotFoundException e) {
        warn("Skipping checkpoint " + path + ": it disappeared; using an earlier one");
      }
    }
    return Optional.empty();
  }

  /** The best top-k checkpoint by the monitor (the newer of equal ones); not read. */
  public Optional<Path> best() {
    return topK.best().map(n -> new Path(dir, n.fileName()));
  }

  /** The kept top-k checkpoints, best first. */
  public List<Path> topK() {
    return topK.entries().stream().map(n -> new Path(dir, n.fileName())).toList();
  }

  /** Every warning so far, oldest first. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The warnings not taken before, for a training loop that prints them as they come. */
  public List<String> takeWarnings() {
    List<String> fresh = List.copyOf(warnings.subList(warningsTaken, warnings.size()));
    warningsTaken = warnings.size();
    return fresh;
  }

  void warn(String message) {
    warnings.add(message);
  }

  private List<CheckpointName> checkpoints() throws IOException {
    List<CheckpointName> names = new ArrayList<>();
    for (FileStatus s : listFiles()) {
      CheckpointName.parse(policy, s.getPath().getName()).ifPresent(names::add);
    }
    return names;
  }

  private List<FileStatus> listFiles() throws IOException {
    FileSystem fs = storage.fs(dir);
    try {
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isFile()) {
          files.add(s);
        }
      }
      return files;
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  private void delete(Path path) throws IOException {
    FileSystem fs = storage.fs(path);
    if (!fs.delete(path, false) && fs.exists(path)) {
      throw new IOException("Cannot delete checkpoint " + path + ": the file system refused");
    }
  }
}
