package io.nautilus.io;

import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * A set of files being written, from {@link CommitProtocol#begin}: write everything under {@link
 * #dir()}, then {@link #commit()}. Closing a set that was not committed removes what was written.
 */
public interface PendingSet extends AutoCloseable {
  /** Where the set's files are written (a hidden staging directory, or the target itself). */
  Path dir();

  /**
   * Tells the commit a file's size and MD5 that its writer measured, so a marker commit need not
   * read it back. Files not recorded are read back at commit (marker protocol only).
   */
  void record(Path file, long size, String md5);

  /**
   * Makes the set visible at its target.
   *
   * @throws IOException when the set cannot be committed; it is then still pending
   */
  void commit() throws IOException;

  /** Removes an uncommitted set's files; does nothing after {@link #commit()}. */
  @Override
  void close() throws IOException;
}
