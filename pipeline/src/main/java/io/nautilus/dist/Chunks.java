package io.nautilus.dist;

/**
 * Splits {@code length} elements into {@code parts} contiguous chunks for the ring: chunk {@code c}
 * starts at {@code c * (length / parts) + min(c, length % parts)}, so the first {@code length %
 * parts} chunks hold one element more than the rest (and chunks are empty when {@code length <
 * parts}).
 */
record Chunks(int length, int parts) {

  int start(int chunk) {
    return chunk * (length / parts) + Math.min(chunk, length % parts);
  }

  int size(int chunk) {
    return length / parts + (chunk < length % parts ? 1 : 0);
  }
}
