package io.nautilus.dist;

/** The collectives as they appear on the wire, so ranks can tell when they disagree. */
enum OpCode {
  ALL_REDUCE(1, "all-reduce"),
  BROADCAST(2, "broadcast"),
  ALL_GATHER_SIZES(3, "all-gather"),
  ALL_GATHER(4, "all-gather"),
  BARRIER(5, "barrier"),
  SCALAR(6, "scalar all-reduce");

  private final int wire;
  private final String shortName;

  OpCode(int wire, String shortName) {
    this.wire = wire;
    this.shortName = shortName;
  }

  int wire() {
    return wire;
  }

  /** The name used in "during all-reduce step 3 of 6". */
  String shortName() {
    return shortName;
  }

  static OpCode fromWire(int wire) {
    for (OpCode code : values()) {
      if (code.wire == wire) {
        return code;
      }
    }
    return null;
  }

  /**
   * What the operation does with its size and parameter, e.g. "broadcast of 10 floats from rank 0".
   */
  String describe(long size, int param) {
    return switch (this) {
      case ALL_REDUCE -> "all-reduce of " + size + " floats";
      case BROADCAST -> "broadcast of " + size + " floats from rank " + param;
      case ALL_GATHER_SIZES -> "all-gather of byte arrays";
      case ALL_GATHER -> "all-gather of " + size + " bytes";
      case BARRIER -> "barrier";
      case SCALAR -> "scalar all-reduce (" + ScalarOp.values()[param] + ")";
    };
  }
}
