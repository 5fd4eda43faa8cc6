package io.nautilus.image;

/** The image formats this package reads and writes, detected from magic bytes. */
public enum ImageFormat {
  PNG("png", "png"),
  JPEG("jpg", "jpeg");

  private final String extension;
  private final String imageIoName;

  ImageFormat(String extension, String imageIoName) {
    this.extension = extension;
    this.imageIoName = imageIoName;
  }

  /**
   * The WebDataset member extension, without the dot: {@code png} or {@code jpg} (the extension
   * NeMo's image-text readers ask for).
   */
  public String extension() {
    return extension;
  }

  /** The format name javax.imageio knows the reader and writer by. */
  String imageIoName() {
    return imageIoName;
  }
}
