package io.nautilus.image;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * NeMo's {@code filterings.resolution: {method: larger|smaller, value: N}} for image-text data:
 * {@code larger} keeps images whose width and height are both at least N, {@code smaller} keeps
 * images whose sides are both at most N. A side equal to N passes either way, as in NeMo's {@code
 * build_resolution_filter}.
 *
 * @param method which side of N to keep
 * @param value the threshold in pixels
 */
public record ResolutionFilter(Method method, int value) implements Serializable {

  /** The {@code method} values NeMo accepts, spelled in lower case in its configs. */
  public enum Method {
    /** Keep width >= N and height >= N. */
    LARGER,
    /** Keep width <= N and height <= N. */
    SMALLER;

    /** The name as NeMo configs spell it. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Whether an image is kept, and a message naming its size and the rule.
   *
   * @param keep true if the image passes the filter
   * @param message for a reject record or a log, e.g. {@code 100x75 fails resolution larger 80:
   *     height 75 < 80}
   */
  public record Decision(boolean keep, String message) implements Serializable {}

  public ResolutionFilter {
    Objects.requireNonNull(method, "method is null");
    if (value <= 0) {
      throw new IllegalArgumentException(
          "Cannot create resolution filter: value " + value + " must be a positive pixel count");
    }
  }

  /**
   * The filter as NeMo's config spells it.
   *
   * @param method {@code larger} or {@code smaller}, exactly (NeMo asserts one of the two)
   * @throws IllegalArgumentException for any other method or a value that is not positive
   */
  public static ResolutionFilter of(String method, int value) {
    Objects.requireNonNull(method, "method is null");
    for (Method m : Method.values()) {
      if (m.configName().equals(method)) {
        return new ResolutionFilter(m, value);
      }
    }
    throw new IllegalArgumentException(
        "Cannot create resolution filter: method \"" + method + "\" is not larger or smaller");
  }

  public Decision test(ImageInfo image) {
    return test(image.width(), image.height());
  }

  public Decision test(int width, int height) {
    String rule = "resolution " + method.configName() + " " + value;
    String size = width + "x" + height;
    String failures =
        switch (method) {
          case LARGER ->
              join(
                  side("width", width, width < value, "<"),
                  side("height", height, height < value, "<"));
          case SMALLER ->
              join(
                  side("width", width, width > value, ">"),
                  side("height", height, height > value, ">"));
        };
    if (failures.isEmpty()) {
      return new Decision(true, size + " passes " + rule);
    }
    return new Decision(false, size + " fails " + rule + ": " + failures);
  }

  private String side(String name, int size, boolean fails, String op) {
    return fails ? name + " " + size + " " + op + " " + value : "";
  }

  private static String join(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a + b;
    }
    return a + " and " + b;
  }
}
