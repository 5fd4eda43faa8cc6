package io.nautilus.asr.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * NeMo's {@code ConvASRDecoder} for CTC: a per-frame linear map from the encoder's channels to the
 * labels plus the blank (last), then log-softmax. Input (B, T, d), output (B, T, labels + 1).
 */
public final class CtcHead extends AbstractBlock {
  private final int classes;
  private final Block linear;

  /**
   * @param labels the number of labels; the head emits one more class, the blank
   */
  public CtcHead(int labels) {
    if (labels < 1) {
      throw new IllegalArgumentException(
          "Cannot build a CTC head: labels must be >= 1, got " + labels);
    }
    this.classes = labels + 1;
    this.linear = addChildBlock("linear", Linear.builder().setUnits(classes).build());
  }

  /** Labels plus the blank. */
  public int classes() {
    return classes;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(
        linear
            .forward(store, new NDList(inputs.get(0)), training)
            .singletonOrThrow()
            .logSoftmax(-1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), classes)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    linear.initialize(manager, dataType, inputShapes[0]);
  }
}
