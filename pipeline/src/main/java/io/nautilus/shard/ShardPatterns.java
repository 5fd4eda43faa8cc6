package io.nautilus.shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands shard-list patterns to shard URLs, in order.
 *
 * <ul>
 *   <li>WebDataset / braceexpand ranges: {@code name-{000000..000009}.tar}. When either bound has a
 *       leading zero, every number is zero-padded to the longer bound's width.
 *   <li>Alternatives {@code {a,b}}, nested braces, and several groups per pattern (expanded left to
 *       right, the last group varying fastest).
 *   <li>NeMo's spelling {@code audio__OP_0..3_CL_.tar}: {@code _OP_} and {@code _CL_} stand for the
 *       braces. NeMo also treats {@code ( [ <} and {@code ) ] >} as braces; we do not, since those
 *       are legal in file names.
 *   <li>Several patterns joined by {@code ::}, or given as a list.
 * </ul>
 *
 * <p>Reversed ranges, unbalanced braces, and groups that are neither a range nor a list are refused
 * with an {@link IllegalArgumentException}; braceexpand would count down or keep the braces
 * literally, which for shard lists only hides a typo.
 */
public final class ShardPatterns {
  /** A guard against a typo like {@code {0..999999999}} exhausting memory. */
  public static final int MAX_EXPANSION = 10_000_000;

  private static final Pattern RANGE = Pattern.compile("(-?\\d+)\\.\\.(-?\\d+)");

  private ShardPatterns() {}

  /** Expands {@code patterns}, which may join several patterns with {@code ::}. */
  public static List<String> expand(String patterns) {
    return expand(List.of(Objects.requireNonNull(patterns, "patterns is null")));
  }

  /** Expands each pattern (each may itself join several with {@code ::}) and concatenates. */
  public static List<String> expand(List<String> patterns) {
    Objects.requireNonNull(patterns, "patterns is null");
    List<String> urls = new ArrayList<>();
    for (String joined : patterns) {
      Objects.requireNonNull(joined, "pattern is null");
      for (String pattern : joined.split("::", -1)) {
        if (pattern.isBlank()) {
          throw new IllegalArgumentException(
              "Cannot expand shard patterns '" + joined + "': one of them is empty");
        }
        String braced = pattern.replace("_OP_", "{").replace("_CL_", "}");
        urls.addAll(new Expansion(pattern, urls.size()).expand(braced));
      }
    }
    return urls;
  }

  /** The expansion of one pattern; {@code original} is kept for messages. */
  private record Expansion(String original, int alreadyExpanded) {

    List<String> expand(String pattern) {
      int open = pattern.indexOf('{');
      int stray = pattern.indexOf('}');
      if (stray >= 0 && (open < 0 || stray < open)) {
        throw error("a '}' has no matching '{'");
      }
      if (open < 0) {
        return List.of(pattern);
      }
      int close = matchingBrace(pattern, open);
      List<String> heads = group(pattern.substring(open + 1, close));
      List<String> tails = expand(pattern.substring(close + 1));
      String prefix = pattern.substring(0, open);
      checkSize((long) heads.size() * tails.size());
      List<String> out = new ArrayList<>(heads.size() * tails.size());
      for (String head : heads) {
        for (String tail : tails) {
          out.add(prefix + head + tail);
        }
      }
      return out;
    }

    private List<String> group(String body) {
      List<String> alternatives = splitTopLevel(body);
      if (alternatives.size() > 1) {
        List<String> out = new ArrayList<>();
        for (String alternative : alternatives) {
          out.addAll(expand(alternative));
          checkSize(out.size());
        }
        return out;
      }
      Matcher range = RANGE.matcher(body);
      if (!range.matches()) {
        throw error(
            "the group '{" + body + "}' is neither a range like {0..9} nor a list like {a,b}");
      }
      return range(range.group(1), range.group(2));
    }

    private List<String> range(String first, String last) {
      long from;
      long to;
      try {
        from = Long.parseLong(first);
        to = Long.parseLong(last);
      } catch (NumberFormatException e) {
        throw error("the range {" + first + ".." + last + "} has a bound too large");
      }
      if (from > to) {
        throw error(
            "the range {"
                + first
                + ".."
                + last
                + "} is reversed; write {"
                + last
                + ".."
                + first
                + "}");
      }
      checkSize(to - from + 1);
      int width = isPadded(first) || isPadded(last) ? Math.max(first.length(), last.length()) : 0;
      String format = width > 0 ? "%0" + width + "d" : "%d";
      List<String> out = new ArrayList<>((int) (to - from + 1));
      for (long i = from; i <= to; i++) {
        out.add(String.format(format, i));
      }
      return out;
    }

    private static boolean isPadded(String bound) {
      String digits = bound.startsWith("-") ? bound.substring(1) : bound;
      return digits.length() > 1 && digits.startsWith("0");
    }

    private List<String> splitTopLevel(String body) {
      List<String> parts = new ArrayList<>();
      int depth = 0;
      int start = 0;
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if (c == '{') {
          depth++;
        } else if (c == '}') {
          depth--;
        } else if (c == ',' && depth == 0) {
          parts.add(body.substring(start, i));
          start = i + 1;
        }
      }
      parts.add(body.substring(start));
      return parts;
    }

    private int matchingBrace(String pattern, int open) {
      int depth = 0;
      for (int i = open; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          return i;
        }
      }
      throw error("a '{' has no matching '}'");
    }

    private void checkSize(long size) {
      if (alreadyExpanded + size > MAX_EXPANSION) {
        throw error("it expands to more than " + MAX_EXPANSION + " names");
      }
    }

    private IllegalArgumentException error(String reason) {
      return new IllegalArgumentException(
          "Cannot expand shard pattern '" + original + "': " + reason);
    }
  }
}
