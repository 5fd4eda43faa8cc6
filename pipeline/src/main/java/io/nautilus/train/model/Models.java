package io.nautilus.train.model;

import io.nautilus.train.TrainOptions;
import java.util.List;

/** Builds the model {@code model.name} names. */
public final class Models {
  public static final List<String> NAMES = List.of("char_lm");

  private Models() {}

  public static TrainModel create(TrainOptions o) {
    return switch (o.modelName()) {
      case "char_lm" -> new CharLm(o.context(), o.hidden(), o.maxChars());
      default ->
          throw new IllegalArgumentException(
              "Cannot build model '" + o.modelName() + "': model.name must be one of " + NAMES);
    };
  }
}
