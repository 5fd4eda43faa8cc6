package io.nautilus.image;

import io.nautilus.image.ImageFormatException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import javax.imageio.ImageTypeSpecifier;

/**
 * Moves pixels between a decoded image and the float rows the resampler works on, and makes the
 * output image.
 *
 * <p>Rows hold the raw stored sample values, scaled to 0..255 (0..65535 for 16-bit PNG), never
 * colour-converted: {@code BufferedImage.getRGB} would push greyscale through a linear-to-sRGB
 * conversion and brighten it, and PIL, which NeMo decodes with, does no colour management either.
 * Colour is premultiplied by alpha in the rows, so transparent pixels lend no colour to their
 * neighbours. Palette images come out as truecolour, or greyscale when every palette entry is grey.
 */
final class PixelRows {

  private final Raster raster;
  private final int width;
  private final int colours;
  private final boolean alpha;
  private final int maxValue;

  /** Premultiplied channel values per palette index, or null for component images. */
  private final float[] palette;

  /** Per band: the factor from stored sample to 0..maxValue. */
  private final double[] scale;

  private final boolean premultiplied;
  private final int[] samples;

  private PixelRows(
      Raster raster,
      int colours,
      boolean alpha,
      int maxValue,
      float[] palette,
      double[] scale,
      boolean premultiplied) {
    this.raster = raster;
    this.width = raster.getWidth();
    this.colours = colours;
    this.alpha = alpha;
    this.maxValue = maxValue;
    this.palette = palette;
    this.scale = scale;
    this.premultiplied = premultiplied;
    this.samples = new int[width * raster.getNumBands()];
  }

  static PixelRows of(BufferedImage image, String source) throws ImageFormatException {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel icm) {
      return ofPalette(raster, icm);
    }
    int colours = cm.getNumColorComponents();
    int bands = raster.getNumBands();
    if ((colours != 1 && colours != 3) || bands != colours + (cm.hasAlpha() ? 1 : 0)) {
      throw new ImageFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          "an image of " + colours + " colour components in " + bands + " bands is not supported");
    }
    int maxBits = 0;
    for (int b = 0; b < bands; b++) {
      maxBits = Math.max(maxBits, raster.getSampleModel().getSampleSize(b));
    }
    if (maxBits > 16) {
      throw new ImageFormatException(
          Reason.UNSUPPORTED_FORMAT,
          source,
          maxBits + "-bit samples are not supported; 16 bits is the most");
    }
    int maxValue = maxBits > 8 ? 65535 : 255;
    double[] scale = new double[bands];
    for (int b = 0; b < bands; b++) {
      scale[b] = maxValue / (double) ((1 << raster.getSampleModel().getSampleSize(b)) - 1);
    }
    return new PixelRows(
        raster, colours, cm.hasAlpha(), maxValue, null, scale, cm.isAlphaPremultiplied());
  }

  private static PixelRows ofPalette(Raster raster, IndexColorModel icm) {
    int size = icm.getMapSize();
    boolean grey = true;
    for (int i = 0; i < size && grey; i++) {
      grey = icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
    }
    boolean alpha = icm.hasAlpha();
    int colours = grey ? 1 : 3;
    int channels = colours + (alpha ? 1 : 0);
    float[] lut = new float[size * channels];
    for (int i = 0; i < size; i++) {
      float a = alpha ? icm.getAlpha(i) : 255f;
      float f = a / 255f;
      int at = i * channels;
      if (grey) {
        lut[at] = icm.getRed(i) * f;
      } else {
        lut[at] = icm.getRed(i) * f;
        lut[at + 1] = icm.getGreen(i) * f;
        lut[at + 2] = icm.getBlue(i) * f;
      }
      if (alpha) {
        lut[at + colours] = a;
      }
    }
    return new PixelRows(raster, colours, alpha, 255, lut, null, false);
  }

  /** Values per pixel: 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA). */
  int channels() {
    return colours + (alpha ? 1 : 0);
  }

  /** Fills {@code dst} with row {@code y}: {@code width * channels()} premultiplied values. */
  void read(int y, float[] dst) {
    int channels = channels();
    if (palette != null) {
      raster.getSamples(0, y, width, 1, 0, samples);
      int last = palette.length / channels - 1;
      for (int x = 0; x < width; x++) {
        // A PNG index past its palette has no colour; ImageIO leaves it to us, black is safest.
        int index = samples[x] <= last ? samples[x] : -1;
        for (int c = 0; c < channels; c++) {
          dst[x * channels + c] = index < 0 ? 0f : palette[index * channels + c];
        }
      }
      return;
    }
    raster.getPixels(0, y, width, 1, samples);
    for (int i = 0; i < samples.length; i++) {
      dst[i] = (float) (samples[i] * scale[i % channels]);
    }
    if (alpha && !premultiplied) {
      for (int at = 0; at < dst.length; at += channels) {
        float f = dst[at + colours] / maxValue;
        for (int c = 0; c < colours; c++) {
          dst[at + c] *= f;
        }
      }
    }
  }

  /**
   * Turns resampled premultiplied values back into stored samples: divides colour by alpha, clamps
   * the overshoot of the cubic kernel to the sample range and rounds half up.
   */
  void store(double[] values, int[] dst) {
    int channels = channels();
    for (int at = 0; at < values.length; at += channels) {
      double f = 1.0;
      if (alpha) {
        double a = clamp(values[at + colours]);
        dst[at + colours] = round(a);
        f = a > 0 ? maxValue / a : 0.0;
      }
      for (int c = 0; c < colours; c++) {
        dst[at + c] = round(clamp(values[at + c] * f));
      }
    }
  }

  /** An empty image of this layout: 8 or 16 bits per sample, grey or RGB, with alpha if needed. */
  BufferedImage newImage(int w, int h) {
    if (maxValue == 255 && !alpha) {
      int type = colours == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
      return new BufferedImage(w, h, type);
    }
    if (maxValue == 255 && colours == 3) {
      return new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
    }
    ColorSpace space =
        ColorSpace.getInstance(colours == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    int[] offsets = new int[channels()];
    for (int b = 0; b < offsets.length; b++) {
      offsets[b] = b;
    }
    int type = maxValue == 255 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT;
    return ImageTypeSpecifier.createInterleaved(space, offsets, type, alpha, false)
        .createBufferedImage(w, h);
  }

  private double clamp(double v) {
    return v < 0 ? 0 : Math.min(v, maxValue);
  }

  private static int round(double v) {
    return (int) Math.floor(v + 0.5);
  }
}
