package io.nautilus.audio;

/**
 * @param info the format and frame count
 * @param samples {@code [channel][frame]}, or null when the plan decoded nothing
 */
record ReadResult(AudioInfo info, float[][] samples) {}
