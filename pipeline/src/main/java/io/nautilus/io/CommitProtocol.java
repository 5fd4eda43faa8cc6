package io.nautilus.io;

import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How written files become visible to readers: whole, and a set of files all at once.
 *
 * <p>{@link RenameCommit} writes under hidden names and renames into place, which is atomic where
 * rename is (local files, HDFS). {@link MarkerCommit} is for object stores (S3), where a rename is
 * a copy and a delete per object: files go straight to their final names and a {@value #MARKER}
 * file listing every file with its size and MD5 is written last; a set without it is not there.
 */
public sealed interface CommitProtocol extends Serializable permits RenameCommit, MarkerCommit {
  /** The commit marker's file name, directly in the set's directory. */
  String MARKER = "_NAUTILUS_COMMITTED";

  /**
   * Hadoop setting that picks the protocol: {@code auto} (the default: by the path's scheme),
   * {@code rename} or {@code marker}. Set it as {@code spark.hadoop.nautilus.commit.protocol}.
   */
  String PROTOCOL_KEY = "nautilus.commit.protocol";

  /** Schemes whose directory rename is atomic; every other store gets the marker. */
  Set<String> ATOMIC_RENAME_SCHEMES = Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs");

  /**
   * The protocol for the store holding {@code path}.
   *
   * @throws IllegalArgumentException when {@value #PROTOCOL_KEY} has an unknown value
   */
  static CommitProtocol forPath(Path path, Configuration conf) {
    String chosen = conf.getTrimmed(PROTOCOL_KEY, "auto").toLowerCase(Locale.ROOT);
    return switch (chosen) {
      case "rename" -> RenameCommit.INSTANCE;
      case "marker" -> MarkerCommit.INSTANCE;
      case "auto" -> {
        String scheme = path.toUri().getScheme();
        yield scheme == null || ATOMIC_RENAME_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))
            ? RenameCommit.INSTANCE
            : MarkerCommit.INSTANCE;
      }
      default ->
          throw new IllegalArgumentException(
              "Cannot choose a commit protocol: "
                  + PROTOCOL_KEY
                  + " = '"
                  + chosen
                  + "'; use auto, rename or marker");
    };
  }

  /** {@code rename} or {@code marker}. */
  String name();

  /**
   * Starts a set of files that will appear at {@code target}. A set already there is replaced: at
   * commit where rename is atomic, at once (marker removed first) where it is not.
   */
  PendingSet begin(FileSystem fs, Path target) throws IOException;

  /**
   * Opens one file that appears at {@code target} whole or not at all.
   *
   * @param attemptTag unique per writer (a Spark task attempt id), so that two attempts writing the
   *     same file never share a temporary name
   */
  AttemptFile create(FileSystem fs, Path target, String attemptTag) throws IOException;

  /** Whether {@code dir} holds a committed set. */
  SetState state(FileSystem fs, Path dir) throws IOException;
}
