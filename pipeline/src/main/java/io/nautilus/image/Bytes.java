package io.nautilus.image;

import java.nio.charset.StandardCharsets;

/** Byte-level helpers shared by the format parsers: big-endian numbers, magic and quoting. */
final class Bytes {

  private Bytes() {}

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static long u32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24)
        | ((b[at + 1] & 0xFFL) << 16)
        | ((b[at + 2] & 0xFFL) << 8)
        | (b[at + 3] & 0xFFL);
  }

  /** Whether {@code magic} (one char per byte) lies at {@code at} within the first {@code n}. */
  static boolean startsWith(byte[] h, int n, int at, String magic) {
    if (at + magic.length() > n) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if ((h[at + i] & 0xFF) != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes as quoted text when they are printable, else as hex. */
  static String describe(byte[] h, int at, int n) {
    int shown = Math.min(n, 16);
    boolean text = true;
    for (int i = 0; i < shown && text; i++) {
      int b = h[at + i] & 0xFF;
      text = (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r';
    }
    if (text) {
      return "text " + quote(h, at, shown);
    }
    StringBuilder hex = new StringBuilder("bytes");
    for (int i = 0; i < Math.min(n, 8); i++) {
      hex.append(String.format(" %02x", h[at + i] & 0xFF));
    }
    return hex.toString();
  }

  static String quote(byte[] h, int at, int len) {
    String s = new String(h, at, len, StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c >= 0x7F) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
