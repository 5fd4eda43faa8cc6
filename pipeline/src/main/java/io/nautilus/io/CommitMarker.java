package io.nautilus.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The content of a {@value CommitProtocol#MARKER} file: every file of a committed set, by path
 * relative to the set's directory, with its size and MD5. Sorted by path, with no timestamps, so
 * the same set always gives the same marker.
 *
 * <pre>{"format": "nautilus-commit", "version": 1, "files": [{"path": "a/b.tar", "size": 10240,
 * "md5": "..."}]}</pre>
 */
public record CommitMarker(List<Entry> files) {
  static final String FORMAT = "nautilus-commit";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One committed file. */
  public record Entry(String path, long size, String md5) {
    public Entry {
      Objects.requireNonNull(path, "path is null");
      Objects.requireNonNull(md5, "md5 is null");
    }
  }

  public CommitMarker {
    files = List.copyOf(files);
  }

  /** The entries by path. */
  public Map<String, Entry> byPath() {
    Map<String, Entry> m = new TreeMap<>();
    files.forEach(e -> m.put(e.path(), e));
    return m;
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    JsonHeader.put(root, FORMAT, VERSION);
    ArrayNode list = root.putArray("files");
    for (Entry e : files) {
      list.addObject().put("path", e.path()).put("size", e.size()).put("md5", e.md5());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write commit marker as JSON", e);
    }
  }

  /**
   * Parses a marker.
   *
   * @throws IllegalArgumentException when it is not a commit marker or has an unsupported version
   */
  public static CommitMarker parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read commit marker: it is not JSON: " + e.getOriginalMessage(), e);
    }
    JsonHeader.check(root, FORMAT, VERSION, "Cannot read commit marker: ");
    List<Entry> files = new ArrayList<>();
    for (JsonNode f : root.path("files")) {
      if (!f.path("path").isTextual() || !f.path("size").canConvertToLong()) {
        throw new IllegalArgumentException("Cannot read commit marker: a file entry is " + f);
      }
      files.add(new Entry(f.get("path").asText(), f.get("size").asLong(), f.path("md5").asText()));
    }
    return new CommitMarker(files);
  }

  /** Every file under {@code dir} except the marker itself, as marker paths with sizes. */
  static Map<String, Long> listFiles(FileSystem fs, Path dir) throws IOException {
    Map<String, Long> found = new TreeMap<>();
    String root = fs.makeQualified(dir).toUri().getPath();
    String prefix = root.endsWith("/") ? root : root + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      String path = s.getPath().toUri().getPath();
      if (!path.startsWith(prefix)) {
        throw new IOException("Cannot list " + dir + ": it returned " + s.getPath());
      }
      String relative = path.substring(prefix.length());
      if (!relative.equals(CommitProtocol.MARKER)) {
        found.put(relative, s.getLen());
      }
    }
    return found;
  }

  /**
   * Compares the set under {@code dir} with this marker: every listed file present with its size,
   * no unlisted file, and the MD5 of the files {@code readBack} selects.
   *
   * @return one line per problem, empty when the set matches
   */
  public List<String> check(FileSystem fs, Path dir, Predicate<String> readBack)
      throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, Long> present = listFiles(fs, dir);
    for (Entry e : files) {
      Long size = present.remove(e.path());
      if (size == null) {
        problems.add(e.path() + ": listed in " + CommitProtocol.MARKER + " but missing");
      } else if (size != e.size()) {
        problems.add(
            e.path() + ": " + size + " bytes, " + CommitProtocol.MARKER + " says " + e.size());
      } else if (readBack.test(e.path())) {
        String md5 = md5(fs, new Path(dir, e.path()));
        if (!md5.equals(e.md5())) {
          problems.add(
              e.path()
                  + ": md5 "
                  + md5
                  + " differs from "
                  + CommitProtocol.MARKER
                  + "'s "
                  + e.md5());
        }
      }
    }
    for (String extra : present.keySet()) {
      problems.add(
          extra + ": not part of the committed set (not in " + CommitProtocol.MARKER + ")");
    }
    return problems;
  }

  /** The marker in {@code dir}, or null when there is none. */
  static CommitMarker read(FileSystem fs, Path dir) throws IOException {
    try (InputStream in = fs.open(new Path(dir, CommitProtocol.MARKER))) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** Lower-case hex MD5 of a file's bytes. */
  static String md5(FileSystem fs, Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash " + file + ": this JVM has no MD5", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = fs.open(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
