package io.nautilus.asr.model;

import io.nautilus.config.ArgMap;
import java.util.List;
import java.util.Map;

/**
 * A Conformer encoder, NeMo's {@code ConformerEncoder} keys and defaults, with two deliberate
 * differences: positions are absolute sinusoids added after subsampling ({@code
 * self_attention_model: abs_pos}; NeMo's default {@code rel_pos} is not implemented and rejected),
 * and subsampling is {@code striding} only.
 *
 * @param featIn {@code feat_in}: input feature channels
 * @param nLayers {@code n_layers}: Conformer blocks
 * @param dModel {@code d_model}: channels of every frame
 * @param nHeads {@code n_heads}: attention heads; must divide {@code d_model}
 * @param ffExpansionFactor {@code ff_expansion_factor}: feed-forward width is {@code d_model} times
 *     this
 * @param convKernelSize {@code conv_kernel_size}: odd depthwise kernel width
 * @param convNormType {@code conv_norm_type}: {@code batch_norm} (NeMo's default) or {@code
 *     layer_norm} (no running statistics, so no state outside the trainable parameters)
 * @param subsamplingFactor {@code subsampling_factor}: a power of two >= 2; one stride-2 3x3 Conv2d
 *     + ReLU per factor of two
 * @param subsamplingConvChannels {@code subsampling_conv_channels}; -1 means {@code d_model}
 * @param xscaling {@code xscaling}: multiply the subsampled frames by sqrt(d_model) before adding
 *     positions
 * @param dropout {@code dropout}: after each feed-forward, attention and convolution module
 * @param dropoutPreEncoder {@code dropout_pre_encoder}: on the frames once positions are added
 * @param dropoutEmb {@code dropout_emb}: on the position table before it is added
 * @param dropoutAtt {@code dropout_att}: on the attention weights
 */
public record ConformerConfig(
    int featIn,
    int nLayers,
    int dModel,
    int nHeads,
    int ffExpansionFactor,
    int convKernelSize,
    String convNormType,
    int subsamplingFactor,
    int subsamplingConvChannels,
    boolean xscaling,
    double dropout,
    double dropoutPreEncoder,
    double dropoutEmb,
    double dropoutAtt)
    implements EncoderConfig {

  /** The keys of the {@code encoder} section for {@code type: conformer}. */
  public static final List<String> KEYS =
      List.of(
          "_target_",
          "conv_kernel_size",
          "conv_norm_type",
          "d_model",
          "dropout",
          "dropout_att",
          "dropout_emb",
          "dropout_pre_encoder",
          "feat_in",
          "feat_out",
          "ff_expansion_factor",
          "n_heads",
          "n_layers",
          "self_attention_model",
          "subsampling",
          "subsampling_conv_channels",
          "subsampling_factor",
          "type",
          "xscaling");

  public ConformerConfig {
    check(featIn >= 1, "feat_in must be >= 1, got " + featIn);
    check(nLayers >= 0, "n_layers must be >= 0, got " + nLayers);
    check(dModel >= 1, "d_model must be >= 1, got " + dModel);
    check(
        nHeads >= 1 && dModel % nHeads == 0,
        "n_heads must be >= 1 and divide d_model " + dModel + ", got " + nHeads);
    check(ffExpansionFactor >= 1, "ff_expansion_factor must be >= 1, got " + ffExpansionFactor);
    check(
        convKernelSize >= 1 && convKernelSize % 2 == 1,
        "conv_kernel_size must be odd and >= 1, got " + convKernelSize);
    check(
        convNormType.equals("batch_norm") || convNormType.equals("layer_norm"),
        "conv_norm_type must be batch_norm or layer_norm, got '" + convNormType + "'");
    check(
        subsamplingFactor >= 2 && Integer.bitCount(subsamplingFactor) == 1,
        "subsampling_factor must be a power of two >= 2, got " + subsamplingFactor);
    check(
        subsamplingConvChannels == -1 || subsamplingConvChannels >= 1,
        "subsampling_conv_channels must be -1 or >= 1, got " + subsamplingConvChannels);
    checkRate("dropout", dropout);
    checkRate("dropout_pre_encoder", dropoutPreEncoder);
    checkRate("dropout_emb", dropoutEmb);
    checkRate("dropout_att", dropoutAtt);
  }

  /** Stride-2 convolutions in the subsampling stack. */
  public int subsamplingLayers() {
    return Integer.numberOfTrailingZeros(subsamplingFactor);
  }

  /** Channels of the subsampling convolutions. */
  public int convChannels() {
    return subsamplingConvChannels == -1 ? dModel : subsamplingConvChannels;
  }

  @Override
  public int outputSize() {
    return dModel;
  }

  /**
   * NeMo's {@code calc_length} for striding: each 3x3 stride-2 convolution with padding 1 maps
   * {@code L} to {@code floor((L + 2 - 3) / 2) + 1}.
   */
  @Override
  public long outputLength(long inputFrames) {
    long frames = inputFrames;
    for (int i = 0; i < subsamplingLayers(); i++) {
      frames = stridedLength(frames);
    }
    return frames;
  }

  static long stridedLength(long frames) {
    return Math.floorDiv(frames + 2 * 1 - 3, 2) + 1;
  }

  @Override
  public AsrEncoder build() {
    return new ConformerEncoder(this);
  }

  static ConformerConfig fromMap(Map<String, ?> section) {
    ArgMap args = ModelArgs.of("encoder", section);
    args.rejectUnknown(KEYS);
    String attention = args.string("self_attention_model", "abs_pos");
    if (!attention.equals("abs_pos")) {
      throw args.error(
          "encoder.self_attention_model must be abs_pos (absolute sinusoidal positions), got '"
              + attention
              + "'; relative positions (NeMo's rel_pos) are not implemented");
    }
    String subsampling = args.string("subsampling", "striding");
    if (!subsampling.equals("striding")) {
      throw args.error("encoder.subsampling must be striding, got '" + subsampling + "'");
    }
    int featOut = args.integer("feat_out", -1);
    if (featOut != -1) {
      throw args.error("encoder.feat_out must be -1 (the output is d_model wide), got " + featOut);
    }
    return new ConformerConfig(
        args.requiredInteger("feat_in"),
        args.requiredInteger("n_layers"),
        args.requiredInteger("d_model"),
        args.integer("n_heads", 4),
        args.integer("ff_expansion_factor", 4),
        args.integer("conv_kernel_size", 31),
        args.string("conv_norm_type", "batch_norm"),
        args.integer("subsampling_factor", 4),
        args.integer("subsampling_conv_channels", -1),
        args.bool("xscaling", true),
        args.decimal("dropout", 0.1),
        args.decimal("dropout_pre_encoder", 0.1),
        args.decimal("dropout_emb", 0.1),
        args.decimal("dropout_att", 0.0));
  }

  private static void checkRate(String key, double rate) {
    check(rate >= 0 && rate < 1, key + " must be in [0, 1), got " + rate);
  }

  private static void check(boolean ok, String reason) {
    if (!ok) {
      throw new IllegalArgumentException(ModelArgs.PREFIX + "encoder." + reason);
    }
  }
}
