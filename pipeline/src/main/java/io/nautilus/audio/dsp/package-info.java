/**
 * Signal processing on decoded samples: sample-rate conversion ({@link
 * io.nautilus.audio.dsp.Resampler}) and channel downmixing ({@link io.nautilus.audio.dsp.Downmix}).
 *
 * <p>Everything here works on {@code float} arrays, one per channel, as {@link
 * io.nautilus.audio.DecodedAudio} holds them, and is deterministic: the same input gives
 * bit-identical output on any Java 17 JVM. Java evaluates {@code double} arithmetic strictly, the
 * filter design uses {@link java.lang.StrictMath} where {@link java.lang.Math} may differ between
 * JVMs, and every sum runs in a fixed order on one thread.
 *
 * <p>This package imports no Spark and no DJL.
 */
package io.nautilus.audio.dsp;
