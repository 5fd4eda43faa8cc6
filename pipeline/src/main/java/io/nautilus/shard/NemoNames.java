package io.nautilus.shard;

import java.util.Objects;

/**
 * Tar member names as NeMo's {@code convert_to_tarred_audio_dataset.py} writes them: the source
 * path without its extension, with every {@code /} and {@code .} replaced by {@code _}, then the
 * extension ({@code /data/a/b.c.flac} becomes {@code _data_a_b_c.flac}), so that WebDataset's split
 * at the first dot yields the whole path as key.
 *
 * <p>Deep source paths can give names over the 100 bytes of plain ustar, which {@link UstarWriter}
 * refuses; shorten or relativise such paths before naming.
 */
public final class NemoNames {
  private NemoNames() {}

  /**
   * The member name for {@code sourcePath}. The extension is found as Python's {@code
   * os.path.splitext} finds it: after the last dot of the last path component, ignoring dots that
   * lead that component ({@code /x/.hidden} has none).
   *
   * @throws IllegalArgumentException if the path has no extension: NeMo would write the member, but
   *     WebDataset readers skip names without a dot, so its audio would silently vanish
   */
  public static String memberName(String sourcePath) {
    String[] split = split(sourcePath);
    return split[0] + split[1];
  }

  /** {@code {squashed base, extension with its dot}}. */
  static String[] split(String sourcePath) {
    Objects.requireNonNull(sourcePath, "sourcePath is null");
    int lastSlash = sourcePath.lastIndexOf('/');
    int stemStart = lastSlash + 1;
    while (stemStart < sourcePath.length() && sourcePath.charAt(stemStart) == '.') {
      stemStart++;
    }
    int dot = sourcePath.lastIndexOf('.');
    if (dot < stemStart) {
      throw new IllegalArgumentException(
          "Cannot name tar member for '"
              + sourcePath
              + "': the file has no extension, and WebDataset readers skip members without one");
    }
    String base = sourcePath.substring(0, dot).replace('/', '_').replace('.', '_');
    return new String[] {base, sourcePath.substring(dot)};
  }
}
