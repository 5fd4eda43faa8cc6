package io.nautilus.asr.model;

import io.nautilus.config.ArgMap;
import java.util.Map;

/** An encoder's settings, from the {@code encoder} section of the model config. */
public sealed interface EncoderConfig permits ConformerConfig, ConvEncoderConfig {
  /** Input feature channels: NeMo's {@code feat_in}, the preprocessor's {@code features}. */
  int featIn();

  /** Channels per output frame: what the CTC head reads. */
  int outputSize();

  /** Output frames for {@code inputFrames} valid input frames. */
  long outputLength(long inputFrames);

  /** Builds a fresh, uninitialised encoder block. */
  AsrEncoder build();

  /**
   * Reads an {@code encoder} section. {@code type} is {@code conformer} or {@code conv}; NeMo's
   * {@code _target_} class name may stand in for it, and must agree with it when both are given.
   */
  static EncoderConfig fromMap(Map<String, ?> section) {
    ArgMap args = ModelArgs.of("encoder", section);
    String type = args.string("type", null);
    String target = args.string("_target_", null);
    String fromTarget = null;
    if (target != null) {
      if (target.endsWith(".ConformerEncoder") || target.equals("ConformerEncoder")) {
        fromTarget = "conformer";
      } else if (target.endsWith(".ConvASREncoder") || target.equals("ConvASREncoder")) {
        fromTarget = "conv";
      } else {
        throw args.error(
            "encoder._target_ must name ConformerEncoder or ConvASREncoder, got '" + target + "'");
      }
    }
    if (type == null && fromTarget == null) {
      throw args.error("encoder.type is missing; set it to conformer or conv");
    }
    if (type != null && fromTarget != null && !type.equals(fromTarget)) {
      throw args.error(
          "encoder.type '" + type + "' disagrees with encoder._target_ '" + target + "'");
    }
    String chosen = type != null ? type : fromTarget;
    return switch (chosen) {
      case "conformer" -> ConformerConfig.fromMap(section);
      case "conv" -> ConvEncoderConfig.fromMap(section);
      default -> throw args.error("encoder.type must be conformer or conv, got '" + chosen + "'");
    };
  }
}
