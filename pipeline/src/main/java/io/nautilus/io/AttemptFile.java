package io.nautilus.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * One file being written by one writer, from {@link CommitProtocol#create}: write to {@link
 * #stream()}, then {@link #publish()}. Closing it unpublished discards what was written.
 *
 * <p>Under a temporary name that is renamed into place where rename is atomic. Where it is not, the
 * bytes go straight to the final name: an object store shows an object only once its upload
 * completes, and a failed writer aborts the upload instead of completing it with partial data.
 */
public final class AttemptFile implements Closeable {
  /** Temporary files are named {@code .<name>.tmp-<attempt>}; readers and verify skip them. */
  public static final String TMP_INFIX = ".tmp-";

  private final FileSystem fs;
  private final Path target;
  private final Path written;
  private final FSDataOutputStream out;
  private boolean done;

  private AttemptFile(FileSystem fs, Path target, Path written) throws IOException {
    this.fs = fs;
    this.target = target;
    this.written = written;
    this.out = fs.create(written, true);
  }

  static AttemptFile renamedIntoPlace(FileSystem fs, Path target, String attemptTag)
      throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + TMP_INFIX + attemptTag);
    return new AttemptFile(fs, target, tmp);
  }

  static AttemptFile direct(FileSystem fs, Path target) throws IOException {
    return new AttemptFile(fs, target, target);
  }

  /** The file's final location. */
  public Path target() {
    return target;
  }

  /** Where the bytes go. Not buffered: wrap it for small writes. */
  public OutputStream stream() {
    return out;
  }

  /**
   * Completes the file: it is at {@link #target()} afterwards, replacing what was there.
   *
   * @throws IOException when it cannot be completed; close this file then to discard it
   */
  public void publish() throws IOException {
    if (done) {
      throw new IllegalStateException("Cannot publish " + target + ": it was published already");
    }
    out.close();
    if (!written.equals(target)) {
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("Cannot replace " + target + ": the old file could not be deleted");
      }
      if (!fs.rename(written, target)) {
        throw new IOException("Cannot commit " + target + ": rename from " + written + " failed");
      }
    }
    done = true;
  }

  /** Discards the file unless it was published. */
  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    done = true;
    if (written.equals(target) && out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
      out.abort();
      return;
    }
    IOException failure = null;
    try {
      out.close();
    } catch (IOException e) {
      failure = e;
    }
    try {
      fs.delete(written, false);
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
