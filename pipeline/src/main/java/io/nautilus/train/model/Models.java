package io.nautilus.train.model;

import io.nautilus.asr.AsrCtcModel;
import io.nautilus.asr.features.MelConfig;
import io.nautilus.asr.features.SpecAugment;
import io.nautilus.asr.features.TimeWidth;
import io.nautilus.asr.model.AsrModelConfig;
import io.nautilus.train.TrainOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builds the model {@code model.name} names. */
public final class Models {
  public static final List<String> NAMES = List.of("asr_ctc", "char_lm");
  private static final Set<String> SPEC_AUGMENT_KEYS =
      new TreeSet<>(List.of("_target_", "freq_masks", "freq_width", "time_masks", "time_width"));

  private Models() {}

  /**
   * @param rank mixed into the seeds of the model's own randomness (dither, SpecAugment)
   */
  public static TrainModel create(TrainOptions o, int rank) {
    return switch (o.modelName()) {
      case "char_lm" -> new CharLm(o.context(), o.hidden(), o.maxChars());
      case "asr_ctc" -> asr(o, rank);
      default ->
          throw new IllegalArgumentException(
              "Cannot build model '" + o.modelName() + "': model.name must be one of " + NAMES);
    };
  }

  public static AsrCtcModel asr(TrainOptions o, int rank) {
    return new AsrCtcModel(
        AsrModelConfig.fromMap(o.asrModel()),
        MelConfig.fromMap(o.preprocessor()),
        specAugment(o.specAugment()),
        o.seed() * 1_000_003L + rank);
  }

  /** NeMo's spec_augment section; empty = none. */
  static SpecAugment specAugment(Map<String, Object> m) {
    if (m.isEmpty()) {
      return null;
    }
    for (String k : m.keySet()) {
      if (!SPEC_AUGMENT_KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "Cannot read model.spec_augment: unknown key '"
                + k
                + "'; valid keys: "
                + SPEC_AUGMENT_KEYS);
      }
    }
    return new SpecAugment(
        number(m, "freq_masks", 2).intValue(),
        number(m, "freq_width", 27).intValue(),
        number(m, "time_masks", 10).intValue(),
        TimeWidth.of(number(m, "time_width", 0.05)));
  }

  private static Number number(Map<String, Object> m, String key, Number fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException(
        "Cannot read model.spec_augment." + key + ": expected a number, got '" + v + "'");
  }
}
