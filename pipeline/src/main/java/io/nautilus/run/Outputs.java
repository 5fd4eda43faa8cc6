package io.nautilus.run;

import io.nautilus.io.PendingSet;
import io.nautilus.io.SetState;
import io.nautilus.io.Staging;
import io.nautilus.io.Storage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** Rules every job applies to its output location. */
public final class Outputs {
  private Outputs() {}

  /** Refuses to replace a non-empty output unless the user asked for it. */
  public static void requireWritable(Storage storage, Path output, boolean overwrite) {
    try {
      if (!storage.isAbsentOrEmpty(output) && !overwrite) {
        throw new UsageException(
            "Cannot write to "
                + display(output.toString())
                + ": it exists and is not empty; pass --overwrite (output.overwrite=true) to replace it");
      }
    } catch (IOException e) {
      throw new UsageException("Cannot check output " + output + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decides whether a job must write its output: false when {@code output} already holds the
   * committed result of a run with the same fingerprint, so there is nothing to do.
   *
   * @param fingerprintFile where the fingerprint is kept, relative to the output
   * @throws UsageException when the output holds something else and {@code overwrite} is not set,
   *     saying what differs
   */
  public static boolean needsWrite(
      Storage storage, Path output, boolean overwrite, RunFingerprint now, String fingerprintFile) {
    RunFingerprint before = null;
    try {
      Path file = new Path(output, fingerprintFile);
      if (!overwrite && storage.setState(output) == SetState.COMMITTED && storage.exists(file)) {
        before = RunFingerprint.parse(storage.readString(file));
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "Cannot write to "
              + display(output.toString())
              + ": "
              + e.getMessage()
              + "; pass --overwrite (output.overwrite=true) to replace it",
          e);
    } catch (IOException e) {
      throw new UsageException("Cannot check output " + output + ": " + e.getMessage(), e);
    }
    return needsWrite(storage, output, overwrite, now, before);
  }

  /**
   * As {@link #needsWrite(Storage, Path, boolean, RunFingerprint, String)}, with the fingerprint of
   * the committed output already read: {@code before} is null when it has none.
   */
  public static boolean needsWrite(
      Storage storage, Path output, boolean overwrite, RunFingerprint now, RunFingerprint before) {
    if (overwrite) {
      return true;
    }
    if (before == null) {
      requireWritable(storage, output, false);
      return true;
    }
    List<String> differences = now.differencesFrom(before);
    if (differences.isEmpty()) {
      return false;
    }
    throw new UsageException(
        "Cannot write to "
            + display(output.toString())
            + ": it holds the result of a different run ("
            + String.join("; ", differences)
            + "); pass --overwrite (output.overwrite=true) to replace it");
  }

  /** The line a job prints when its output is already up to date. */
  public static String nothingToDo(Path output, String holds) {
    return "Nothing to do: " + display(output.toString()) + " already holds " + holds + "\n";
  }

  /**
   * Starts writing a job's output set: removes staging folders that killed runs left beside it,
   * then opens the set through the store's commit protocol.
   *
   * @param what the output's name in messages, e.g. "prepare output"
   */
  public static PendingSet begin(Storage storage, Path output, PrintStream out, String what) {
    Staging.removeStale(storage, output, out);
    try {
      return storage.beginSet(output);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start " + what + " at " + output + ": " + e.getMessage(), e);
    }
  }

  /** Closes a set (removing it if it was never committed), warning instead of failing. */
  public static void release(PendingSet set, PrintStream out) {
    try {
      set.close();
    } catch (IOException e) {
      out.println(
          "warning: could not remove unfinished output " + set.dir() + ": " + e.getMessage());
    }
  }

  /** Local files as plain absolute paths, as NeMo's readers expect; other stores keep their URI. */
  public static String display(String location) {
    return location.startsWith("file:") ? location.substring("file:".length()) : location;
  }
}
