package io.nautilus.shard;

/** Path rules shared by the writer (never produce) and the reader (never accept). */
final class TarPaths {
  private TarPaths() {}

  /**
   * True for a name that could escape an extraction directory: absolute ({@code /x}, {@code \x},
   * {@code C:x}) or holding a {@code ..} component. We never extract, but a shard carrying such a
   * name is hostile or broken, and other tools reading it might extract.
   */
  static boolean isUnsafe(String name) {
    if (name.startsWith("/") || name.startsWith("\\")) {
      return true;
    }
    if (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0))) {
      return true;
    }
    for (String part : name.split("[/\\\\]", -1)) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
