package io.nautilus.asr.model;

import ai.djl.nn.Block;

/**
 * An acoustic encoder: features (B, feat_in, T) and lengths (B) in, frames (B, T', outputSize) and
 * lengths (B) out. Frames past an utterance's output length hold unspecified values.
 */
public interface AsrEncoder extends Block {
  EncoderConfig config();

  /** Output frames for {@code inputFrames} valid input frames. */
  default long outputLength(long inputFrames) {
    return config().outputLength(inputFrames);
  }
}
