package io.nautilus.asr.model;

import io.nautilus.config.ArgMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of NeMo's {@code encoder.jasper} list: {@code repeat} sub-blocks of (separable)
 * convolution, BatchNorm and ReLU, with an optional residual around them.
 *
 * @param filters output channels of every sub-block
 * @param repeat sub-blocks in the block, at least 1
 * @param kernel odd kernel width, so that NeMo's "same" padding {@code dilation * (kernel - 1) / 2}
 *     keeps the frame count at stride 1
 * @param stride time stride of every sub-block, as in NeMo's {@code JasperBlock}
 * @param dilation time dilation of every sub-block; must be 1 when {@code stride > 1}, as in NeMo
 * @param dropout dropout after each ReLU
 * @param residual add a 1x1 convolution + BatchNorm of the block input before the last ReLU; needs
 *     stride 1
 * @param separable depthwise then pointwise convolution instead of a full one
 */
public record ConvBlockConfig(
    int filters,
    int repeat,
    int kernel,
    int stride,
    int dilation,
    double dropout,
    boolean residual,
    boolean separable) {

  /** The keys of one {@code jasper} entry. */
  public static final List<String> KEYS =
      List.of(
          "dilation", "dropout", "filters", "kernel", "repeat", "residual", "separable", "stride");

  private static final String INVALID = "Cannot build a conv block: ";

  public ConvBlockConfig {
    check(filters >= 1, "filters must be >= 1, got " + filters);
    check(repeat >= 1, "repeat must be >= 1, got " + repeat);
    check(kernel >= 1 && kernel % 2 == 1, "kernel must be odd and >= 1, got " + kernel);
    check(stride >= 1, "stride must be >= 1, got " + stride);
    check(dilation >= 1, "dilation must be >= 1, got " + dilation);
    check(
        stride == 1 || dilation == 1,
        "stride " + stride + " needs dilation 1 (NeMo's 'same' padding), got " + dilation);
    check(!residual || stride == 1, "residual needs stride 1, got stride " + stride);
    check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
  }

  /** Zero padding on each side of the time axis. */
  public int padding() {
    return dilation * (kernel - 1) / 2;
  }

  /**
   * Output frames of the block: NeMo's rule {@code floor((L + 2p - dilation * (kernel - 1) - 1) /
   * stride) + 1} once per sub-block.
   */
  public long outputLength(long inputFrames) {
    long frames = inputFrames;
    for (int i = 0; i < repeat; i++) {
      frames = convLength(frames);
    }
    return frames;
  }

  long convLength(long frames) {
    return Math.floorDiv(frames + 2L * padding() - (long) dilation * (kernel - 1) - 1, stride) + 1;
  }

  static ConvBlockConfig fromMap(String path, Map<String, ?> entry) {
    ArgMap args = ModelArgs.of(path, entry);
    args.rejectUnknown(KEYS);
    args.require("filters");
    args.require("kernel");
    try {
      return new ConvBlockConfig(
          args.integer("filters", 0),
          args.integer("repeat", 1),
          singleInteger(args, "kernel", 0),
          singleInteger(args, "stride", 1),
          singleInteger(args, "dilation", 1),
          args.decimal("dropout", 0),
          args.bool("residual", false),
          args.bool("separable", false));
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().startsWith(INVALID)) {
        throw e;
      }
      throw args.error(path + "." + e.getMessage().substring(INVALID.length()));
    }
  }

  /** A whole number given alone or as NeMo's one-element list ({@code kernel: [11]}). */
  private static int singleInteger(ArgMap args, String key, int fallback) {
    if (args.raw(key) instanceof List<?> l) {
      if (l.size() != 1) {
        throw args.error(args.name(key) + " must hold one value (1-D convolution), got " + l);
      }
      return args.toInteger(key, l.get(0));
    }
    return args.integer(key, fallback);
  }

  private static void check(boolean ok, String reason) {
    if (!ok) {
      throw new IllegalArgumentException(INVALID + reason);
    }
  }
}
