package io.nautilus.shard.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The path a tar member is named after (NeMo squashes it: {@code /} and {@code .} become {@code
 * _}). That path is the audio file's path relative to its manifest's folder when the file lies in
 * that folder, as a NeMo manifest with relative paths names it: the same dataset then gives the
 * same member names, and byte-identical shards, wherever it is stored (local, HDFS, S3). Transcoded
 * audio takes the codec's extension and a slice its offset and length, so that different stored
 * bytes never share a name. Names stay within ustar's 100 bytes: a longer one keeps its tail and
 * gains a hash of the whole path.
 */
final class MemberNames {
  static final int MAX_NAME = 100;
  private static final int KEEP_TAIL = 70;

  private MemberNames() {}

  /**
   * {@code audioPath} relative to the folder of {@code manifestPath} when it lies inside it, else
   * {@code audioPath} unchanged. Both as prepare writes them ({@code /abs/x} for local files, a
   * full URI otherwise; a {@code file:} manifest location compares as its plain path).
   */
  static String manifestRelative(String audioPath, String manifestPath) {
    String manifest =
        manifestPath.startsWith("file:") && !manifestPath.startsWith("file://")
            ? manifestPath.substring("file:".length())
            : manifestPath;
    int slash = manifest.lastIndexOf('/');
    if (slash < 0) {
      return audioPath;
    }
    String folder = manifest.substring(0, slash + 1);
    return audioPath.startsWith(folder) && audioPath.length() > folder.length()
        ? audioPath.substring(folder.length())
        : audioPath;
  }

  static String namingPath(
      String audioPath, String extension, Double sliceOffset, Double sliceDur) {
    String path = withoutScheme(audioPath);
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    String base = dot > slash + 1 ? path.substring(0, dot) : path;
    String ext = extension != null ? extension : (dot > slash + 1 ? path.substring(dot) : ".wav");
    if (sliceOffset != null) {
      base +=
          String.format(
              Locale.ROOT, "_o%d_d%d", Math.round(sliceOffset * 1000), Math.round(sliceDur * 1000));
    }
    String squashed = base.replace('/', '_').replace('.', '_');
    // Room for NeMo's "-sub{N}" suffix on later references within a shard.
    if (squashed.length() + ext.length() + 8 > MAX_NAME
        || !StandardCharsets.US_ASCII.newEncoder().canEncode(squashed)) {
      return "/" + hashed(audioPath + "|" + sliceOffset + "|" + sliceDur, squashed) + ext;
    }
    return base + ext;
  }

  /** A collision-free stand-in for a path whose squashed name is taken or too long. */
  static String hashedPath(String audioPath, String extension) {
    String path = withoutScheme(audioPath);
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    String ext = extension != null ? extension : (dot > slash + 1 ? path.substring(dot) : ".wav");
    String base =
        (dot > slash + 1 ? path.substring(0, dot) : path).replace('/', '_').replace('.', '_');
    return "/" + hashed(audioPath, base) + ext;
  }

  private static String hashed(String identity, String squashed) {
    StringBuilder ascii = new StringBuilder();
    for (char c : squashed.toCharArray()) {
      ascii.append(c < 128 && c >= 32 ? c : '_');
    }
    String tail =
        ascii.length() > KEEP_TAIL ? ascii.substring(ascii.length() - KEEP_TAIL) : ascii.toString();
    tail = tail.replace('.', '_').replace('/', '_');
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return "h" + HexFormat.of().formatHex(d, 0, 6) + "_" + tail;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** {@code hdfs://nn/x/y.wav} → {@code /x/y.wav}; a plain path is kept. */
  static String withoutScheme(String location) {
    int scheme = location.indexOf("://");
    if (scheme > 0 && location.indexOf('/') > scheme) {
      int pathStart = location.indexOf('/', scheme + 3);
      return pathStart < 0 ? "/" : location.substring(pathStart);
    }
    if (location.startsWith("file:")) {
      return location.substring("file:".length());
    }
    return location;
  }
}
