package io.nautilus.shard;

import java.util.Locale;
import java.util.Optional;

/**
 * A tar member name split the WebDataset way: the key is the path up to the first dot of the last
 * path component, the extension is the rest, lower-cased ({@code a/b.seg1.FLAC} has key {@code a/b}
 * and extension {@code seg1.flac}).
 */
public record SampleMemberName(String key, String extension) {

  /**
   * The split of {@code memberName}, or empty where WebDataset skips the member: no dot in the last
   * component, an empty key (a top-level name starting with a dot), or a {@code __name__} metadata
   * entry at the top level.
   */
  public static Optional<SampleMemberName> parse(String memberName) {
    if (isMetadata(memberName)) {
      return Optional.empty();
    }
    int lastSlash = memberName.lastIndexOf('/');
    int dot = memberName.indexOf('.', lastSlash + 1);
    if (dot <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new SampleMemberName(
            memberName.substring(0, dot), memberName.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  /** WebDataset's metadata convention: a top-level name like {@code __index__}. */
  public static boolean isMetadata(String memberName) {
    return memberName.indexOf('/') < 0 && memberName.startsWith("__") && memberName.endsWith("__");
  }
}
