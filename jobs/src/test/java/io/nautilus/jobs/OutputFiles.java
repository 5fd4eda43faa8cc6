package io.nautilus.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What an output folder holds, for comparing two runs' outputs. */
final class OutputFiles {
  private OutputFiles() {}

  /** SHA-256 of every regular file under {@code dir} whose relative path passes {@code keep}. */
  static Map<String, String> sha256(Path dir, Predicate<String> keep) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    for (Path f : files(dir)) {
      String rel = dir.relativize(f).toString();
      if (keep.test(rel)) {
        digests.put(rel, sha256(f));
      }
    }
    return digests;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every file and folder under {@code dir}, as paths relative to it, sorted. */
  static List<String> tree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.equals(dir))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * A file's lines with {@code runDir} written as {@code <run>} and without the lines that start
   * with one of {@code dropPrefixes}: what two runs to different folders should share.
   */
  static List<String> linesOfRun(Path file, Path runDir, String... dropPrefixes)
      throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> Stream.of(dropPrefixes).noneMatch(p -> l.strip().startsWith(p)))
        .map(l -> l.replace(runDir.toString(), "<run>"))
        .toList();
  }
}
