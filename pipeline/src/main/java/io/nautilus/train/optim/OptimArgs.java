package io.nautilus.train.optim;

import io.nautilus.config.ArgMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a {@code model.optim} section for one optimizer, with errors that name the
 * optimizer and the key: the checks torch makes on top of the {@link ArgMap} reads.
 */
final class OptimArgs {
  private final ArgMap args;

  OptimArgs(String optimizer, Map<String, ?> values) {
    this.args = ArgMap.of("create optimizer " + optimizer, values == null ? Map.of() : values);
  }

  IllegalArgumentException error(String reason) {
    return args.error(reason);
  }

  /** Rejects keys that are neither {@code allowed} nor {@code ignored}, as Python kwargs do. */
  void rejectUnknown(Set<String> allowed, Set<String> ignored) {
    args.rejectUnexpected("argument", allowed, ignored);
  }

  double decimal(String key, double fallback) {
    return args.decimal(key, fallback);
  }

  /** A number that must be {@code >= 0}, as torch checks lr, eps, momentum and weight_decay. */
  double nonNegative(String key, double fallback) {
    double value = decimal(key, fallback);
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw error(key + " must be a finite number >= 0, got " + args.raw(key));
    }
    return value;
  }

  boolean bool(String key, boolean fallback) {
    return args.bool(key, fallback);
  }

  /** {@code betas}: two numbers, each in [0, 1) as torch requires. */
  double[] betas(double beta1, double beta2) {
    Object value = args.raw("betas");
    if (value == null) {
      return new double[] {beta1, beta2};
    }
    List<?> items;
    if (value instanceof List<?> list) {
      items = list;
    } else if (value instanceof double[] array) {
      items = Arrays.stream(array).boxed().toList();
    } else {
      throw error("betas must be a list of 2 numbers, got " + ArgMap.describe(value));
    }
    if (items.size() != 2) {
      throw error("betas must be a list of 2 numbers, got " + items);
    }
    double[] betas = {args.toNumber("betas", items.get(0)), args.toNumber("betas", items.get(1))};
    for (double beta : betas) {
      if (!(beta >= 0 && beta < 1)) {
        throw error("betas must each be in [0, 1), got " + items);
      }
    }
    return betas;
  }
}
