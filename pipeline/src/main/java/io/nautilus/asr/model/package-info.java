/**
 * Speech encoders and the CTC head as DJL blocks, built from a NeMo-shaped model config.
 *
 * <p>{@link io.nautilus.asr.model.AsrNetwork} maps log-mel features (B, feat_in, T) and their
 * lengths to per-frame log-probabilities (B, T', labels + 1), the blank last, and output lengths.
 * The encoder is a {@link io.nautilus.asr.model.ConformerEncoder} (absolute positions; NeMo's
 * relative-position attention is not implemented) or the lighter {@link
 * io.nautilus.asr.model.ConvEncoder} for CPU runs. {@link io.nautilus.asr.model.AsrModelConfig}
 * reads {@code model.labels}, {@code model.encoder} and {@code model.decoder}, rejecting unknown
 * keys.
 *
 * <p>Padded frames never influence valid outputs in eval mode. Dropout draws from the engine's
 * process-wide generator, so training with dropout above 0 is not bit-reproducible when several
 * ranks run as threads of one JVM. BatchNorm running statistics are not trainable parameters: see
 * {@link io.nautilus.asr.model.AsrNetwork#runningStatistics()}.
 */
package io.nautilus.asr.model;
