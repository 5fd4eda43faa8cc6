package io.nautilus.image;

import java.io.Serializable;
import java.util.Objects;

/**
 * What an image file declares about itself. Serializable, so Spark jobs can ship it between stages.
 *
 * @param format the format detected from the magic bytes
 * @param width columns of pixels as stored (an EXIF orientation tag is not applied, as PIL does not
 *     apply it when NeMo decodes)
 * @param height rows of pixels as stored
 */
public record ImageInfo(ImageFormat format, int width, int height) implements Serializable {

  public ImageInfo {
    Objects.requireNonNull(format, "format is null");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "Cannot create ImageInfo: width "
              + width
              + " and height "
              + height
              + " must be positive");
    }
  }

  public long pixels() {
    return (long) width * height;
  }

  /** The shorter side, the one {@code resize_smallest_side} sets. */
  public int smallestSide() {
    return Math.min(width, height);
  }

  /** {@code WxH}, the way messages show sizes. */
  public String size() {
    return width + "x" + height;
  }
}
