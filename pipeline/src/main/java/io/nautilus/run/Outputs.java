package io.nautilus.run;

import io.nautilus.io.Storage;
import java.io.IOException;
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

  /** Local files as plain absolute paths, as NeMo's readers expect; other stores keep their URI. */
  public static String display(String location) {
    return location.startsWith("file:") ? location.substring("file:".length()) : location;
  }
}
