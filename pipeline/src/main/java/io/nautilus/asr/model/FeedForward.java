package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The Conformer feed-forward module: Linear to d x factor, Swish, dropout, Linear back to d. */
final class FeedForward extends AbstractBlock {
  private final int dModel;
  private final int hidden;
  private final float dropout;
  private final Block up;
  private final Block down;

  FeedForward(int dModel, int expansion, double dropout) {
    this.dModel = dModel;
    this.hidden = dModel * expansion;
    this.dropout = (float) dropout;
    this.up = addChildBlock("linear1", Linear.builder().setUnits(hidden).build());
    this.down = addChildBlock("linear2", Linear.builder().setUnits(dModel).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = up.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
    x = TensorOps.dropout(TensorOps.swish(x), dropout, training);
    return down.forward(store, new NDList(x), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    up.initialize(manager, dataType, in);
    down.initialize(manager, dataType, new Shape(in.get(0), in.get(1), hidden));
  }
}
