package io.nautilus.image;

import io.nautilus.image.ImageFormatException.Reason;
import java.io.Serializable;

/**
 * The largest image this package agrees to decode, checked against the header before any pixel is
 * decoded: a few hundred bytes of PNG can declare gigapixels (a decompression bomb), and decoding
 * one would take an executor down with it.
 *
 * @param maxSide the longest accepted width or height in pixels
 * @param maxPixels the largest accepted width times height
 */
public record ImageLimits(int maxSide, long maxPixels) implements Serializable {

  /** 30,000 pixels a side and 100 megapixels (400 MB as 8-bit RGBA). */
  public static final ImageLimits DEFAULT = new ImageLimits(30_000, 100_000_000L);

  public ImageLimits {
    if (maxSide <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException(
          "Cannot create ImageLimits: maxSide "
              + maxSide
              + " and maxPixels "
              + maxPixels
              + " must be positive");
    }
  }

  /** Throws {@link Reason#TOO_LARGE} if a {@code width x height} image breaks a limit. */
  void check(long width, long height, String source, String what) throws ImageFormatException {
    if (width > maxSide || height > maxSide) {
      throw new ImageFormatException(
          Reason.TOO_LARGE,
          source,
          String.format(
              "%s %dx%d, a side over the limit of %d pixels; refused before decoding",
              what, width, height, maxSide));
    }
    if (width * height > maxPixels) {
      throw new ImageFormatException(
          Reason.TOO_LARGE,
          source,
          String.format(
              "%s %dx%d, %d pixels, over the limit of %d; refused before decoding",
              what, width, height, width * height, maxPixels));
    }
  }
}
