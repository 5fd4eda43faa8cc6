package io.nautilus.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commit by marker, for object stores (S3), where a rename copies and deletes every object and a
 * reader can see a set half moved. Files are written straight to their final names; an object
 * appears whole once its upload completes. Committing writes {@value CommitProtocol#MARKER},
 * listing every file with size and MD5, last. A set without its marker is not there.
 *
 * <p>An existing set is unpublished first (its marker deleted, then its files), so for the length
 * of a rewrite readers find no set rather than a mix of two.
 */
public final class MarkerCommit implements CommitProtocol {
  private static final long serialVersionUID = 1L;
  static final MarkerCommit INSTANCE = new MarkerCommit();

  private MarkerCommit() {}

  @Override
  public String name() {
    return "marker";
  }

  @Override
  public PendingSet begin(FileSystem fs, Path target) throws IOException {
    if (fs.exists(target)) {
      Path marker = new Path(target, MARKER);
      if (fs.exists(marker) && !fs.delete(marker, false)) {
        throw new IOException(
            "Cannot replace " + target + ": its commit marker could not be deleted");
      }
      if (!fs.delete(target, true)) {
        throw new IOException("Cannot replace " + target + ": the old set could not be deleted");
      }
    }
    if (!fs.mkdirs(target)) {
      throw new IOException("Cannot create directory " + target);
    }
    return new Direct(fs, target);
  }

  @Override
  public AttemptFile create(FileSystem fs, Path target, String attemptTag) throws IOException {
    return AttemptFile.direct(fs, target);
  }

  @Override
  public SetState state(FileSystem fs, Path dir) throws IOException {
    if (fs.exists(new Path(dir, MARKER))) {
      return SetState.COMMITTED;
    }
    return fs.exists(dir) ? SetState.UNCOMMITTED : SetState.ABSENT;
  }

  private Object readResolve() {
    return INSTANCE;
  }

  /** A set written in place, waiting for its marker. */
  private static final class Direct implements PendingSet {
    private final FileSystem fs;
    private final Path dir;
    private final Map<String, CommitMarker.Entry> recorded = new TreeMap<>();
    private boolean committed;

    Direct(FileSystem fs, Path dir) {
      this.fs = fs;
      this.dir = dir;
    }

    @Override
    public Path dir() {
      return dir;
    }

    @Override
    public void record(Path file, long size, String md5) {
      String root = fs.makeQualified(dir).toUri().getPath() + "/";
      String path = fs.makeQualified(file).toUri().getPath();
      if (!path.startsWith(root)) {
        throw new IllegalArgumentException(
            "Cannot record " + file + ": it is not inside the set at " + dir);
      }
      String relative = path.substring(root.length());
      recorded.put(relative, new CommitMarker.Entry(relative, size, md5));
    }

    @Override
    public void commit() throws IOException {
      if (committed) {
        throw new IllegalStateException("Cannot commit " + dir + ": it was committed already");
      }
      Map<String, Long> present = CommitMarker.listFiles(fs, dir);
      for (String name : recorded.keySet()) {
        if (!present.containsKey(name)) {
          throw new IOException(
              "Cannot commit " + dir + ": " + name + " was written but is missing");
        }
      }
      List<CommitMarker.Entry> entries = new ArrayList<>();
      for (Map.Entry<String, Long> f : present.entrySet()) {
        CommitMarker.Entry known = recorded.get(f.getKey());
        if (known != null && known.size() != f.getValue()) {
          throw new IOException(
              "Cannot commit "
                  + dir
                  + ": "
                  + f.getKey()
                  + " is "
                  + f.getValue()
                  + " bytes, its writer wrote "
                  + known.size());
        }
        entries.add(
            known != null
                ? known
                : new CommitMarker.Entry(
                    f.getKey(), f.getValue(), CommitMarker.md5(fs, new Path(dir, f.getKey()))));
      }
      // The marker goes last: its upload completing is the commit.
      try (OutputStream out = fs.create(new Path(dir, MARKER), true)) {
        out.write(new CommitMarker(entries).toJson().getBytes(StandardCharsets.UTF_8));
      }
      committed = true;
    }

    @Override
    public void close() throws IOException {
      if (!committed && fs.exists(dir) && !fs.delete(dir, true)) {
        throw new IOException("Cannot delete " + dir + ": the file system refused");
      }
    }
  }

  /**
   * Adds files written into the committed set at {@code dir} to it by rewriting its marker: the
   * marker's upload completing is the commit. Until then readers see the set as it was.
   *
   * @param knownMd5 MD5s the writers measured, by path relative to {@code dir}; others are read
   *     back
   */
  static void extend(FileSystem fs, Path dir, List<String> added, Map<String, String> knownMd5)
      throws IOException {
    CommitMarker old = CommitMarker.read(fs, dir);
    if (old == null) {
      throw new IOException(
          "Cannot add files to " + dir + ": it has no commit marker, so it is not a committed set");
    }
    Map<String, CommitMarker.Entry> entries = new TreeMap<>(old.byPath());
    Map<String, Long> present = CommitMarker.listFiles(fs, dir);
    for (String name : added) {
      Long size = present.get(name);
      if (size == null) {
        throw new IOException("Cannot add " + name + " to " + dir + ": it was not written");
      }
      String md5 = knownMd5.get(name);
      entries.put(
          name,
          new CommitMarker.Entry(
              name, size, md5 != null ? md5 : CommitMarker.md5(fs, new Path(dir, name))));
    }
    try (OutputStream out = fs.create(new Path(dir, MARKER), true)) {
      out.write(
          new CommitMarker(new ArrayList<>(entries.values()))
              .toJson()
              .getBytes(StandardCharsets.UTF_8));
    }
  }
}
