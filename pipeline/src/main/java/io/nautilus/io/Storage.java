package io.nautilus.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every byte Nautilus reads or writes goes through here, on the Hadoop FileSystem API.
 *
 * <p>Files are committed whole: data is written under a temporary name beside its target and
 * renamed into place, which is atomic on the local file system and HDFS.
 */
public final class Storage implements Serializable {
  private static final long serialVersionUID = 1L;

  private final HadoopConf conf;

  private Storage(Configuration conf) {
    this.conf = new HadoopConf(conf);
  }

  public static Storage of(Configuration conf) {
    return new Storage(Objects.requireNonNull(conf, "conf is null"));
  }

  /**
   * A storage on a default Hadoop configuration (local files, plus whatever core-site.xml says).
   */
  public static Storage local() {
    return new Storage(new Configuration());
  }

  public Configuration hadoopConf() {
    return conf.get();
  }

  /**
   * The file system of a path. Local files are written without Hadoop's {@code .crc} side files:
   * shard sets and manifests are read by tools that do not expect them.
   */
  public FileSystem fs(Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf.get());
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /**
   * Fully qualified form of a user-given location: {@code data/x} becomes {@code file:/abs/data/x}.
   */
  public Path qualify(String location) {
    Path p = new Path(location);
    try {
      return fs(p).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot resolve location " + location + ": " + e.getMessage(), e);
    }
  }

  public InputStream open(Path path) throws IOException {
    return fs(path).open(path);
  }

  public boolean exists(Path path) throws IOException {
    return fs(path).exists(path);
  }

  public boolean isFile(Path path) throws IOException {
    try {
      return fs(path).getFileStatus(path).isFile();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** True when the path does not exist or is an empty directory. */
  public boolean isAbsentOrEmpty(Path path) throws IOException {
    FileSystem fs = fs(path);
    if (!fs.exists(path)) {
      return true;
    }
    FileStatus status = fs.getFileStatus(path);
    return status.isDirectory() && fs.listStatus(path).length == 0;
  }

  public void deleteRecursively(Path path) throws IOException {
    FileSystem fs = fs(path);
    if (fs.exists(path) && !fs.delete(path, true)) {
      throw new IOException("Cannot delete " + path + ": the file system refused");
    }
  }

  public void mkdirs(Path path) throws IOException {
    if (!fs(path).mkdirs(path)) {
      throw new IOException("Cannot create directory " + path);
    }
  }

  /** Regular files directly under a directory whose names do not start with '_' or '.'. */
  public List<Path> listDataFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileStatus s : fs(dir).listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
        files.add(s.getPath());
      }
    }
    files.sort(null);
    return files;
  }

  /** Writes a file whole or not at all: temporary name first, then an atomic rename. */
  public void writeAtomically(Path target, IoWriter writer) throws IOException {
    FileSystem fs = fs(target);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        writer.write(out);
      }
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("Cannot replace " + target + ": the old file could not be deleted");
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("Cannot commit " + target + ": rename from " + tmp + " failed");
      }
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(tmp, false);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  public void writeString(Path target, String text) throws IOException {
    writeAtomically(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  public String readString(Path path) throws IOException {
    try (InputStream in = open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Concatenates files, in the order given, into one committed file. */
  public void concatenate(List<Path> parts, Path target) throws IOException {
    writeAtomically(
        target,
        out -> {
          for (Path part : parts) {
            try (InputStream in = open(part)) {
              in.transferTo(out);
            }
          }
        });
  }

  /**
   * Makes a finished staging directory the final one in a single rename (atomic on local files and
   * HDFS). An existing target is removed first, so callers must have decided to overwrite it.
   */
  public void commitDirectory(Path staging, Path target) throws IOException {
    FileSystem fs = fs(target);
    if (fs.exists(target)) {
      deleteRecursively(target);
    }
    Path parent = target.getParent();
    if (parent != null && !fs.exists(parent)) {
      mkdirs(parent);
    }
    if (!fs.rename(staging, target)) {
      throw new IOException("Cannot commit " + target + ": rename from " + staging + " failed");
    }
  }

  /** Writes to an output stream; may throw IOException. */
  @FunctionalInterface
  public interface IoWriter {
    void write(OutputStream out) throws IOException;
  }
}
