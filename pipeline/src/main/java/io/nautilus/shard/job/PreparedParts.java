package io.nautilus.shard.job;

import io.nautilus.io.Storage;
import io.nautilus.prepare.PrepareState;
import io.nautilus.run.RunFingerprint;
import io.nautilus.run.UsageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The prepared datasets behind {@code input.prepared}: a prepare output is one part; an incremental
 * prepare output ({@code prepare --incremental}) is its committed runs, in run order, so shard can
 * take all of it, and {@code shard --append} can take the runs it has not sharded yet.
 */
final class PreparedParts {
  static final String ACCEPTED = "accepted.parquet";

  private PreparedParts() {}

  /**
   * The parts, as qualified folders that each hold a committed accepted.parquet.
   *
   * @throws UsageException when a folder is missing, uncommitted or not a prepare output
   */
  static List<Path> resolve(Storage storage, List<String> dirs) {
    if (dirs.isEmpty()) {
      throw new UsageException(
          "Cannot run shard: input.prepared is empty; name a prepare output folder");
    }
    List<Path> parts = new ArrayList<>();
    for (String given : dirs) {
      Path dir = storage.qualify(given);
      try {
        PrepareState state = PrepareState.read(storage, dir);
        if (state != null) {
          for (Path run : state.runDirs(dir)) {
            requirePrepared(storage, run, run.toString());
            parts.add(run);
          }
        } else {
          requirePrepared(storage, dir, given);
          parts.add(dir);
        }
      } catch (FileNotFoundException e) {
        throw new UsageException(e.getMessage() + "; run prepare to write it", e);
      } catch (IOException e) {
        throw new UsageException(
            "Cannot read prepared dataset " + given + ": " + e.getMessage(), e);
      }
    }
    return parts;
  }

  private static void requirePrepared(Storage storage, Path dir, String shown) throws IOException {
    storage.requireCommitted(dir, "prepared dataset");
    if (!storage.exists(new Path(dir, ACCEPTED))) {
      throw new UsageException(
          "Cannot read prepared dataset "
              + shown
              + ": no accepted.parquet in it; run prepare first");
    }
  }

  /** Each part as a fingerprint input: its folder, with the length and digest of its data. */
  static List<RunFingerprint.Input> digest(Storage storage, List<Path> parts) {
    List<RunFingerprint.Input> inputs = new ArrayList<>();
    for (Path p : parts) {
      try {
        RunFingerprint.Input d = RunFingerprint.digestDir(storage, new Path(p, ACCEPTED));
        inputs.add(new RunFingerprint.Input(p.toString(), d.length(), d.sha256()));
      } catch (IOException e) {
        throw new UsageException("Cannot read prepared dataset " + p + ": " + e.getMessage(), e);
      }
    }
    return inputs;
  }
}
