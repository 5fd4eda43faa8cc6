package io.nautilus.train.ckpt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a training run needs to continue: {@code meta} (step, epoch, step_in_epoch,
 * world_size, RNG seeds, metric values, config hash ...) and named tensors, in a fixed order.
 *
 * <p>Meta values must be JSON-able; they read back as JSON types: {@code String}, {@code Boolean},
 * {@code Long} for integers, {@code Double} (NaN and infinities included), {@code List}, {@code
 * Map} and {@code null}. Tensor names carry the part they belong to: {@value #MODEL}, {@value
 * #OPTIM}, {@value #EMA}.
 */
public record Checkpoint(
    LinkedHashMap<String, Object> meta, LinkedHashMap<String, Tensor> tensors) {
  public static final String MODEL = "model/";
  public static final String OPTIM = "optim/";
  public static final String EMA = "ema/";

  public Checkpoint {
    Objects.requireNonNull(meta, "meta is null");
    Objects.requireNonNull(tensors, "tensors is null");
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException("Cannot make checkpoint: a tensor has an empty name");
      }
      Objects.requireNonNull(e.getValue(), () -> "tensor " + e.getKey() + " is null");
    }
  }

  /** The tensors whose names start with {@code prefix}, keyed without it, in order. */
  public LinkedHashMap<String, Tensor> group(String prefix) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach(
        (name, t) -> {
          if (name.startsWith(prefix)) {
            out.put(name.substring(prefix.length()), t);
          }
        });
    return out;
  }

  /** The integer meta value {@code key}, or {@code fallback} when it is absent. */
  public long metaLong(String key, long fallback) {
    Object v = meta.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    throw new IllegalArgumentException(
        "Cannot read checkpoint meta " + key + ": " + v + " is not an integer");
  }
}
