/**
 * Audio containers: detecting, validating, decoding and writing WAV and FLAC files.
 *
 * <p>{@link io.nautilus.audio.AudioProbe} checks that a file is usable audio (the {@code prepare}
 * job runs it on every file a manifest references), {@link io.nautilus.audio.AudioDecoder} turns a
 * file or a slice of it into float samples, {@link io.nautilus.audio.WavWriter} writes WAV files
 * and {@link io.nautilus.audio.FlacEncoder} lossless FLAC files. {@link
 * io.nautilus.audio.AudioTranscoder} puts these together with the resampler and downmixer of {@link
 * io.nautilus.audio.dsp} for jobs that rewrite audio. Every reading entry point takes a plain
 * {@link java.io.InputStream}, so callers may hand in a Hadoop stream, a file or a tar member; the
 * container is detected from its magic bytes, never from a file name. Problems with the audio
 * itself are reported as {@link io.nautilus.audio.AudioFormatException} with a {@link
 * io.nautilus.audio.AudioFormatException.Reason} fit for reject records; failures of the underlying
 * stream stay {@link java.io.IOException}s.
 *
 * <p>This package imports no Spark and no DJL.
 */
package io.nautilus.audio;
