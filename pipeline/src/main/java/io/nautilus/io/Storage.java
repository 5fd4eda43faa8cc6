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
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every byte Nautilus reads or writes goes through here, on the Hadoop FileSystem API.
 *
 * <p>Files and sets of files are committed whole, by the store's {@link CommitProtocol}: renamed
 * into place where rename is atomic (local files, HDFS), written in place and sealed with a commit
 * marker where it is not (S3).
 */
public final class Storage implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final String SPARK_HADOOP = "spark.hadoop.";

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

  /**
   * A storage on the default Hadoop configuration plus {@code settings}, for tools that run without
   * Spark (verify). Keys may carry Spark's {@code spark.hadoop.} prefix, so a Spark properties file
   * can be passed whole: other {@code spark.*} keys are skipped.
   */
  public static Storage withSettings(Map<String, String> settings) {
    Configuration conf = new Configuration();
    settings.forEach(
        (key, value) -> {
          if (key.startsWith(SPARK_HADOOP)) {
            conf.set(key.substring(SPARK_HADOOP.length()), value);
          } else if (!key.startsWith("spark.")) {
            conf.set(key, value);
          }
        });
    return new Storage(conf);
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
   *
   * @throws LocationException for a location with a password in it ({@code
   *     s3a://key:secret@bucket}): it would be printed in logs and messages
   */
  public Path qualify(String location) {
    Path p = new Path(location);
    String userInfo = p.toUri().getUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new LocationException(
          "Cannot use location "
              + Locations.redact(location)
              + ": it carries credentials, which would end up in logs; set them in the Hadoop"
              + " configuration (spark.hadoop.fs.s3a.* or a credential provider) instead");
    }
    try {
      return fs(p).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot resolve location " + location + ": " + e.getMessage(), e);
    }
  }

  /** The commit protocol of the store holding {@code path}; see {@link CommitProtocol#forPath}. */
  public CommitProtocol protocol(Path path) {
    return CommitProtocol.forPath(path, conf.get());
  }

  /** Starts a set of files that will appear at {@code target}, replacing what is there. */
  public PendingSet beginSet(Path target) throws IOException {
    return protocol(target).begin(fs(target), target);
  }

  /** Opens one file that appears at {@code target} whole, once published. */
  public AttemptFile createFile(Path target, String attemptTag) throws IOException {
    return protocol(target).create(fs(target), target, attemptTag);
  }

  /** Whether {@code dir} holds a committed set (on a marker store: whether it has its marker). */
  public SetState setState(Path dir) throws IOException {
    return protocol(dir).state(fs(dir), dir);
  }

  /**
   * Checks that {@code dir} holds a committed set before a reader reads it: on a marker store, a
   * set without its marker counts as absent.
   *
   * @param what what the set is, for the message ("prepared dataset", "shard set")
   * @throws FileNotFoundException when there is no committed set, saying why
   */
  public void requireCommitted(Path dir, String what) throws IOException {
    switch (setState(dir)) {
      case ABSENT ->
          throw new FileNotFoundException(
              "Cannot read " + what + " " + dir + ": it does not exist");
      case UNCOMMITTED ->
          throw new FileNotFoundException(
              "Cannot read "
                  + what
                  + " "
                  + dir
                  + ": it has no commit marker ("
                  + CommitProtocol.MARKER
                  + "): the run writing it failed or has not finished, so it counts as absent");
      case COMMITTED -> {}
    }
  }

  /**
   * Makes files written into the committed set at {@code dir} (under names new to it) part of the
   * set. Where rename is atomic each file was renamed into place whole and nothing more is needed;
   * on a marker store the marker is rewritten to list them, which is the commit.
   *
   * @param added paths relative to {@code dir}
   * @param knownMd5 MD5s the writers measured, by relative path; others are read back if needed
   */
  public void addToSet(Path dir, List<String> added, Map<String, String> knownMd5)
      throws IOException {
    if (protocol(dir) instanceof MarkerCommit) {
      MarkerCommit.extend(fs(dir), dir, added, knownMd5);
    }
  }

  /** The commit marker in {@code dir}, or null when it has none (always so on rename stores). */
  public CommitMarker readMarker(Path dir) throws IOException {
    return CommitMarker.read(fs(dir), dir);
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

  /** Writes a file whole or not at all. */
  public void writeAtomically(Path target, IoWriter writer) throws IOException {
    try (AttemptFile file = createFile(target, UUID.randomUUID().toString())) {
      writer.write(file.stream());
      file.publish();
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

  /** Writes to an output stream; may throw IOException. */
  @FunctionalInterface
  public interface IoWriter {
    void write(OutputStream out) throws IOException;
  }
}
