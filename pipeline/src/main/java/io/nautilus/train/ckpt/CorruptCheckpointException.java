package io.nautilus.train.ckpt;

import java.io.IOException;
import org.apache.hadoop.fs.Path;

/** A checkpoint file that is truncated, corrupt or not a checkpoint at all. */
public final class CorruptCheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  public CorruptCheckpointException(Path path, String reason) {
    super("Cannot load checkpoint " + path + ": " + reason);
    this.path = String.valueOf(path);
    this.reason = reason;
  }

  /** The file, as given to the reader. */
  public String path() {
    return path;
  }

  /** What is wrong with it, without the path. */
  public String reason() {
    return reason;
  }
}
