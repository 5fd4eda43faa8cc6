package io.nautilus.asr.model;

import io.nautilus.config.ArgMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A QuartzNet/Citrinet-like convolutional encoder, NeMo's {@code ConvASREncoder}: a stack of {@link
 * ConvBlockConfig} blocks with ReLU, every convolution's input masked past each utterance's length
 * ({@code conv_mask: true}).
 *
 * @param featIn {@code feat_in}
 * @param blocks {@code jasper}, at least one
 */
public record ConvEncoderConfig(int featIn, List<ConvBlockConfig> blocks) implements EncoderConfig {

  /** The keys of the {@code encoder} section for {@code type: conv}. */
  public static final List<String> KEYS =
      List.of("_target_", "activation", "conv_mask", "feat_in", "jasper", "type");

  public ConvEncoderConfig {
    if (featIn < 1) {
      throw new IllegalArgumentException(
          ModelArgs.PREFIX + "encoder.feat_in must be >= 1, got " + featIn);
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException(
          ModelArgs.PREFIX + "encoder.jasper must hold at least one block");
    }
    blocks = List.copyOf(blocks);
  }

  @Override
  public int outputSize() {
    return blocks.get(blocks.size() - 1).filters();
  }

  @Override
  public long outputLength(long inputFrames) {
    long frames = inputFrames;
    for (ConvBlockConfig block : blocks) {
      frames = block.outputLength(frames);
    }
    return frames;
  }

  @Override
  public AsrEncoder build() {
    return new ConvEncoder(this);
  }

  static ConvEncoderConfig fromMap(Map<String, ?> section) {
    ArgMap args = ModelArgs.of("encoder", section);
    args.rejectUnknown(KEYS);
    String activation = args.string("activation", "relu");
    if (!activation.equals("relu")) {
      throw args.error("encoder.activation must be relu, got '" + activation + "'");
    }
    if (!args.bool("conv_mask", true)) {
      throw args.error(
          "encoder.conv_mask must be true: padded frames are always masked, so that batching"
              + " never changes an utterance's output");
    }
    int featIn = args.requiredInteger("feat_in");
    List<?> entries = args.list("jasper");
    List<ConvBlockConfig> blocks = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String path = "encoder.jasper[" + i + "]";
      blocks.add(ConvBlockConfig.fromMap(path, args.asSection(path, entries.get(i))));
    }
    return new ConvEncoderConfig(featIn, blocks);
  }
}
