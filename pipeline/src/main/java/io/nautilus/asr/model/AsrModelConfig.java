package io.nautilus.asr.model;

import io.nautilus.asr.text.CharTokenizer;
import io.nautilus.config.ArgMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network part of a NeMo CTC model config: {@code model.labels}, {@code model.encoder} and the
 * optional {@code model.decoder}. The other {@code model} sections (preprocessor, spec_augment,
 * optim, data sets) belong to the front end and the trainer; pass only these three keys here.
 *
 * @param labels the output labels; the CTC blank comes after them
 * @param encoder the encoder's settings
 */
public record AsrModelConfig(List<String> labels, EncoderConfig encoder) {

  /** The keys {@link #fromMap} reads. */
  public static final List<String> KEYS = List.of("decoder", "encoder", "labels");

  /** The keys of the optional {@code decoder} section, each checked against the rest. */
  public static final List<String> DECODER_KEYS =
      List.of("_target_", "feat_in", "num_classes", "vocabulary");

  public AsrModelConfig {
    labels = List.copyOf(labels);
    CharTokenizer.of(labels);
  }

  /** The tokenizer of {@link #labels}. */
  public CharTokenizer tokenizer() {
    return CharTokenizer.of(labels);
  }

  /** Classes the network emits per frame: the labels and the blank. */
  public int classes() {
    return labels.size() + 1;
  }

  /**
   * Reads {@code labels}, {@code encoder} and the optional {@code decoder} (NeMo's {@code
   * ConvASRDecoder} section, whose {@code feat_in}, {@code num_classes} and {@code vocabulary} must
   * agree with the encoder and the labels when given).
   *
   * @throws IllegalArgumentException "Cannot read model config: ..." naming the key
   */
  public static AsrModelConfig fromMap(Map<String, ?> model) {
    ArgMap args = ModelArgs.of("", model);
    args.rejectUnknown(KEYS);
    List<String> labels = labels(args, "labels");
    EncoderConfig encoder = EncoderConfig.fromMap(args.section("encoder"));
    if (args.has("decoder")) {
      checkDecoder(ModelArgs.of("decoder", args.section("decoder")), labels, encoder);
    }
    return new AsrModelConfig(labels, encoder);
  }

  private static List<String> labels(ArgMap args, String key) {
    List<?> raw = args.list(key);
    List<String> out = new ArrayList<>();
    for (Object label : raw) {
      if (!(label instanceof String s)) {
        throw args.error(args.name(key) + " must hold strings, got " + ArgMap.describe(label));
      }
      out.add(s);
    }
    try {
      CharTokenizer.of(out);
    } catch (IllegalArgumentException e) {
      throw args.error(args.name(key) + ": " + e.getMessage());
    }
    return out;
  }

  private static void checkDecoder(ArgMap args, List<String> labels, EncoderConfig encoder) {
    args.rejectUnknown(DECODER_KEYS);
    String target = args.string("_target_", null);
    if (target != null && !target.endsWith("ConvASRDecoder")) {
      throw args.error("decoder._target_ must name ConvASRDecoder, got '" + target + "'");
    }
    int featIn = args.integer("feat_in", encoder.outputSize());
    if (featIn != encoder.outputSize()) {
      throw args.error(
          "decoder.feat_in is " + featIn + " but the encoder emits " + encoder.outputSize());
    }
    int classes = args.integer("num_classes", labels.size());
    // NeMo counts the labels without the blank here; -1 means "from the vocabulary".
    if (classes != -1 && classes != labels.size()) {
      throw args.error(
          "decoder.num_classes is " + classes + " but labels has " + labels.size() + " entries");
    }
    if (args.has("vocabulary") && !labels(args, "vocabulary").equals(labels)) {
      throw args.error("decoder.vocabulary differs from labels");
    }
  }
}
