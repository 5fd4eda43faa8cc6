package io.nautilus.image;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.Objects;

/**
 * Resizes and crops images at shard time, so that readers decode fewer pixels, and re-encodes them
 * in their own format. Mirrors NeMo's read-time {@code resize_smallest_side} and {@code
 * center_crop_h_w}, in that order.
 *
 * <ul>
 *   <li>Resize: the shorter side becomes N and the longer one {@code floor(N * long / short)}
 *       (torchvision's rounding, so NeMo's own resize to N finds nothing left to do). Only images
 *       whose shorter side is over N shrink unless {@link Builder#optAllowUpscale} is set.
 *   <li>Crop: the centre {@code H x W} window, at {@code top = rint((h - H) / 2)}, {@code left =
 *       rint((w - W) / 2)} (round half to even, like torchvision). A side shorter than the window
 *       is kept whole: nothing is padded.
 *   <li>Pixels are resampled by {@link Resampler}: an antialiased cubic filter in plain Java,
 *       bit-exact on every JVM. Only the cropped window is computed.
 *   <li>Output: the source format; PNG lossless at the source bit depth (8 or 16), JPEG at {@link
 *       Builder#optJpegQuality} (default {@value #JPEG_QUALITY_DEFAULT}). Metadata (EXIF, ICC, text
 *       chunks) is dropped.
 * </ul>
 *
 * An image that needs neither resize nor crop comes back as the same bytes, undecoded. Everything
 * else is validated like {@link ImageProbe#validate} on the way. Thread-safe and serializable.
 */
public final class ImageResizer implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The JPEG quality when none is set, on ImageIO's 1..100 scale. */
  public static final int JPEG_QUALITY_DEFAULT = 95;

  private final int smallestSide;
  private final boolean allowUpscale;
  private final CenterCrop crop;
  private final int jpegQuality;
  private final ImageLimits limits;

  private ImageResizer(Builder builder) {
    this.smallestSide = builder.smallestSide;
    this.allowUpscale = builder.allowUpscale;
    this.crop = builder.crop;
    this.jpegQuality = builder.jpegQuality;
    this.limits = builder.limits;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The format and size {@link #apply} will produce for a source of this size, without decoding.
   *
   * @throws ImageFormatException {@link ImageFormatException.Reason#TOO_LARGE} if an upscale would
   *     produce an image over the limits
   */
  public ImageInfo plan(ImageInfo source, String nameForMessages) throws ImageFormatException {
    ResizePlan plan = layout(source, nameForMessages);
    return new ImageInfo(source.format(), plan.width(), plan.height());
  }

  /**
   * Resizes and crops one encoded image.
   *
   * @param bytes a whole PNG or JPEG file
   * @param nameForMessages how messages name the file
   * @throws ImageFormatException if the file is not a usable image, is over the limits, or would be
   *     over them after an upscale
   */
  public ResizedImage apply(byte[] bytes, String nameForMessages) throws ImageFormatException {
    Objects.requireNonNull(bytes, "bytes is null");
    ImageInfo info = ImageProbe.probe(bytes, nameForMessages, limits);
    ResizePlan plan = layout(info, nameForMessages);
    if (plan.isIdentity(info)) {
      return new ResizedImage(bytes, info, false);
    }
    BufferedImage source = ImageDecoder.decode(bytes, info, nameForMessages);
    BufferedImage resized = Resampler.resample(source, plan, nameForMessages);
    byte[] encoded = ImageEncoder.encode(resized, info.format(), jpegQuality);
    return new ResizedImage(
        encoded, new ImageInfo(info.format(), plan.width(), plan.height()), true);
  }

  private ResizePlan layout(ImageInfo source, String name) throws ImageFormatException {
    int w = source.width();
    int h = source.height();
    int shortSide = Math.min(w, h);
    long resizedW = w;
    long resizedH = h;
    if (smallestSide > 0
        && (shortSide > smallestSide || (allowUpscale && shortSide < smallestSide))) {
      long longSide = (long) smallestSide * Math.max(w, h) / shortSide;
      resizedW = w <= h ? smallestSide : longSide;
      resizedH = w <= h ? longSide : smallestSide;
      limits.check(
          resizedW,
          resizedH,
          name,
          "resizing " + source.size() + " to smallest side " + smallestSide + " gives");
    }
    int rw = (int) resizedW;
    int rh = (int) resizedH;
    int cw = crop == null ? rw : Math.min(crop.width(), rw);
    int ch = crop == null ? rh : Math.min(crop.height(), rh);
    int left = (int) Math.rint((rw - cw) / 2.0);
    int top = (int) Math.rint((rh - ch) / 2.0);
    return new ResizePlan(rw, rh, left, top, cw, ch);
  }

  @Override
  public String toString() {
    return "ImageResizer{resize_smallest_side="
        + (smallestSide > 0 ? smallestSide : "off")
        + ", allow_upscale="
        + allowUpscale
        + ", center_crop_h_w="
        + (crop != null ? crop : "off")
        + ", jpeg_quality="
        + jpegQuality
        + "}";
  }

  /** Options; with none set the resizer returns every image unchanged. */
  public static final class Builder {
    private int smallestSide;
    private boolean allowUpscale;
    private CenterCrop crop;
    private int jpegQuality = JPEG_QUALITY_DEFAULT;
    private ImageLimits limits = ImageLimits.DEFAULT;

    private Builder() {}

    /** NeMo's {@code resize_smallest_side}: the shorter side becomes {@code pixels}. */
    public Builder optResizeSmallestSide(int pixels) {
      if (pixels <= 0) {
        throw new IllegalArgumentException(
            "Cannot set resize_smallest_side to " + pixels + ": it must be a positive pixel count");
      }
      this.smallestSide = pixels;
      return this;
    }

    /** Also enlarge images whose shorter side is under the target (off by default). */
    public Builder optAllowUpscale(boolean allow) {
      this.allowUpscale = allow;
      return this;
    }

    /** NeMo's {@code center_crop_h_w}, applied after the resize. */
    public Builder optCenterCrop(CenterCrop crop) {
      this.crop = Objects.requireNonNull(crop, "crop is null");
      return this;
    }

    /** JPEG quality, 1..100 (default {@value ImageResizer#JPEG_QUALITY_DEFAULT}). */
    public Builder optJpegQuality(int quality) {
      if (quality < 1 || quality > 100) {
        throw new IllegalArgumentException(
            "Cannot set JPEG quality to " + quality + ": it must be in 1..100");
      }
      this.jpegQuality = quality;
      return this;
    }

    /**
     * The size limits for sources and for upscaled results (default {@link ImageLimits#DEFAULT}).
     */
    public Builder optLimits(ImageLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits is null");
      return this;
    }

    public ImageResizer build() {
      if (allowUpscale && smallestSide == 0) {
        throw new IllegalArgumentException(
            "Cannot build ImageResizer: allow_upscale is set but resize_smallest_side is not");
      }
      return new ImageResizer(this);
    }
  }
}
