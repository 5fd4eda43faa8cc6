package io.nautilus.audio;

/** The audio container formats this package reads. */
public enum Container {
  /** RIFF WAVE, including WAVE_FORMAT_EXTENSIBLE and RF64. */
  WAV,
  /** Native FLAC ({@code fLaC} stream), optionally behind an ID3v2 tag. */
  FLAC
}
