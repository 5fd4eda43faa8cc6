package io.nautilus.run;

import io.nautilus.io.Storage;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SaveMode;

/** One ordered text file from a Dataset of lines. */
public final class SparkText {
  private SparkText() {}

  /**
   * Writes the lines as Spark part files under {@code partsDir}, then concatenates the parts in
   * order into {@code target} (committed whole) and removes the parts. The dataset's order (for
   * example an orderBy) is the file's order.
   */
  public static void writeLines(Storage storage, Dataset<String> lines, Path partsDir, Path target)
      throws IOException {
    lines.write().mode(SaveMode.ErrorIfExists).text(partsDir.toString());
    storage.concatenate(storage.listDataFiles(partsDir), target);
    storage.deleteRecursively(partsDir);
  }
}
