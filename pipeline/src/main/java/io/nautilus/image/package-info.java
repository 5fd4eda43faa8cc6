/**
 * Images for image-text WebDataset shards: detecting, validating, filtering and resizing PNG and
 * JPEG files.
 *
 * <p>{@link io.nautilus.image.ImageProbe} reads a file's header (or validates the whole file) and
 * reports its {@link io.nautilus.image.ImageInfo}; {@link io.nautilus.image.ResolutionFilter} is
 * NeMo's {@code filterings.resolution}; {@link io.nautilus.image.ImageResizer} applies {@code
 * resize_smallest_side} and {@code center_crop_h_w} at shard time and re-encodes. Formats are
 * detected from magic bytes, never from a file name. Problems with an image are reported as {@link
 * io.nautilus.image.ImageFormatException} with a {@link
 * io.nautilus.image.ImageFormatException.Reason} fit for reject records; failures of the underlying
 * stream stay {@link java.io.IOException}s. Sizes over {@link io.nautilus.image.ImageLimits} are
 * refused from the header, before any pixel is decoded.
 *
 * <p>Decoding and encoding use javax.imageio (headless; no display is touched); headers are parsed
 * here, and resampling is plain Java so its output is the same on every JVM. This package imports
 * no Spark and no DJL.
 */
package io.nautilus.image;
