package io.nautilus.train.ckpt;

import java.util.Objects;

/**
 * Which checkpoints a run keeps, as NeMo's {@code exp_manager.checkpoint_callback_params}: the
 * {@code save_top_k} best by {@code monitor} ({@code mode} {@code min} or {@code max}; -1 keeps
 * all, 0 none) and, with {@code save_last}, the newest as a {@code -last} file. File names start
 * with {@code filenamePrefix}, the experiment name.
 */
public record CheckpointPolicy(
    String monitor, String mode, int saveTopK, boolean saveLast, String filenamePrefix) {
  public CheckpointPolicy {
    requireName("monitor", monitor);
    requireName("filename prefix", filenamePrefix);
    if (!"min".equals(mode) && !"max".equals(mode)) {
      throw new IllegalArgumentException(
          "Cannot use checkpoint policy: mode is '" + mode + "'; use min or max");
    }
    if (saveTopK < -1) {
      throw new IllegalArgumentException(
          "Cannot use checkpoint policy: save_top_k is "
              + saveTopK
              + "; use -1 (keep all), 0 (none) or a positive count");
    }
  }

  /** NeMo's defaults: {@code val_loss}, {@code min}, top 3, and a last checkpoint. */
  public static CheckpointPolicy nemoDefaults(String filenamePrefix) {
    return new CheckpointPolicy("val_loss", "min", 3, true, filenamePrefix);
  }

  /** True when a larger monitored value is better. */
  public boolean maximize() {
    return "max".equals(mode);
  }

  private static void requireName(String what, String value) {
    Objects.requireNonNull(value, what + " is null");
    // Both end up in file names: a '/' would make a directory, blanks an unreadable name.
    if (value.isBlank() || value.contains("/")) {
      throw new IllegalArgumentException(
          "Cannot use checkpoint policy: "
              + what
              + " '"
              + value
              + "' must be a non-blank name without '/'");
    }
  }
}
