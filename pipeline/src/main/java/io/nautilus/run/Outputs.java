package io.nautilus.run;

import io.nautilus.io.PendingSet;
import io.nautilus.io.Staging;
import io.nautilus.io.Storage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
