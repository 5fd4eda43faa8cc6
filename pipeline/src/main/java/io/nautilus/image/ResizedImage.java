package io.nautilus.image;

import java.util.Objects;

/**
 * What {@link ImageResizer#apply} produced.
 *
 * @param bytes the encoded file, in the source's format; the input array itself (not a copy) when
 *     nothing changed
 * @param info the format and size of {@code bytes}
 * @param changed false when the image needed no resize or crop and {@code bytes} are the input
 */
public record ResizedImage(byte[] bytes, ImageInfo info, boolean changed) {

  public ResizedImage {
    Objects.requireNonNull(bytes, "bytes is null");
    Objects.requireNonNull(info, "info is null");
  }
}
