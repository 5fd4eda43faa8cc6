package io.nautilus.dist;

/**
 * One collective call as every rank must agree on it: the ranks number their calls from 1, and call
 * {@code seq} must be the same operation with the same size and parameter everywhere.
 */
record OpId(int seq, OpCode code, long size, int param) {

  /** For messages: {@code all-reduce of 100 floats (op 7)}. */
  String describe() {
    return code.describe(size, param) + " (op " + seq + ")";
  }

  boolean sameAs(int otherSeq, int otherCode, long otherSize, int otherParam) {
    return seq == otherSeq && code.wire() == otherCode && size == otherSize && param == otherParam;
  }
}
