/**
 * The speech front end: NeMo-compatible log-mel features computed with DJL {@code NDArray} ops (so
 * they run on the model's device), SpecAugment masks and speed perturbation.
 *
 * <p>{@link io.nautilus.asr.features.MelFrontEnd} follows NeMo's {@code
 * AudioToMelSpectrogramPreprocessor} step by step (dither, pre-emphasis, centred zero-padded STFT,
 * power, Slaney mel, log, per-utterance normalisation, padding masked to zero); its mel power
 * matches torchaudio's {@code MelSpectrogram} to float32 rounding. Every key of the preprocessor
 * section is read by {@link io.nautilus.asr.features.MelConfig#fromMap}.
 */
package io.nautilus.asr.features;
