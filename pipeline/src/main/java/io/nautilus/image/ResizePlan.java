package io.nautilus.image;

/**
 * Where the output pixels come from: the image is resized to {@code resizedWidth x resizedHeight}
 * and the window of {@code width x height} at ({@code left}, {@code top}) of that resized grid is
 * kept. Only the window is computed.
 */
record ResizePlan(int resizedWidth, int resizedHeight, int left, int top, int width, int height) {

  /** Whether the output is the source unchanged. */
  boolean isIdentity(ImageInfo source) {
    return resizedWidth == source.width()
        && resizedHeight == source.height()
        && width == source.width()
        && height == source.height();
  }
}
