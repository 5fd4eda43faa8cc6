package io.nautilus.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commit by rename, for stores where renaming a directory is atomic (local files, HDFS): a set is
 * written into a hidden staging directory beside its target and renamed into place in one step, a
 * file under a hidden temporary name. A crash leaves the previous set or the new one, never a mix.
 */
public final class RenameCommit implements CommitProtocol {
  private static final long serialVersionUID = 1L;
  static final RenameCommit INSTANCE = new RenameCommit();

  private RenameCommit() {}

  @Override
  public String name() {
    return "rename";
  }

  @Override
  public PendingSet begin(FileSystem fs, Path target) throws IOException {
    // Named after its owner process, so a later run can remove it if this one is killed.
    Path staging = Staging.newPath(target);
    if (!fs.mkdirs(staging)) {
      throw new IOException("Cannot create staging directory " + staging);
    }
    return new Staged(fs, staging, target);
  }

  @Override
  public AttemptFile create(FileSystem fs, Path target, String attemptTag) throws IOException {
    return AttemptFile.renamedIntoPlace(fs, target, attemptTag);
  }

  @Override
  public SetState state(FileSystem fs, Path dir) throws IOException {
    return fs.exists(dir) ? SetState.COMMITTED : SetState.ABSENT;
  }

  private Object readResolve() {
    return INSTANCE;
  }

  /** A set in its staging directory. */
  private static final class Staged implements PendingSet {
    private final FileSystem fs;
    private final Path staging;
    private final Path target;
    private boolean committed;

    Staged(FileSystem fs, Path staging, Path target) {
      this.fs = fs;
      this.staging = staging;
      this.target = target;
    }

    @Override
    public Path dir() {
      return staging;
    }

    @Override
    public void record(Path file, long size, String md5) {
      // A rename carries every byte along; there is nothing to list.
    }

    @Override
    public void commit() throws IOException {
      if (committed) {
        throw new IllegalStateException("Cannot commit " + target + ": it was committed already");
      }
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("Cannot replace " + target + ": the old set could not be deleted");
      }
      Path parent = target.getParent();
      if (parent != null && !fs.exists(parent) && !fs.mkdirs(parent)) {
        throw new IOException("Cannot create directory " + parent);
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("Cannot commit " + target + ": rename from " + staging + " failed");
      }
      committed = true;
    }

    @Override
    public void close() throws IOException {
      if (!committed && fs.exists(staging) && !fs.delete(staging, true)) {
        throw new IOException("Cannot delete " + staging + ": the file system refused");
      }
    }
  }
}
