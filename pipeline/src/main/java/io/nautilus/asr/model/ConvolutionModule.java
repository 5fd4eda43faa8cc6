package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The Conformer convolution module: pointwise Conv1d to 2d, GLU, padded frames zeroed, depthwise
 * Conv1d of {@code conv_kernel_size} ("same" padding), BatchNorm (or LayerNorm over channels),
 * Swish, pointwise Conv1d. Input (B, T, d) frames and a (B, T) mask; output (B, T, d).
 */
final class ConvolutionModule extends AbstractBlock {
  private final int dModel;
  private final boolean batchNorm;
  private final Block pointwise1;
  private final Block depthwise;
  private final Block norm;
  private final Block pointwise2;

  ConvolutionModule(int dModel, int kernel, String normType) {
    this.dModel = dModel;
    this.batchNorm = normType.equals("batch_norm");
    this.pointwise1 = addChildBlock("pointwise_conv1", pointwise(2 * dModel));
    this.depthwise =
        addChildBlock(
            "depthwise_conv",
            Conv1d.builder()
                .setFilters(dModel)
                .optGroups(dModel)
                .setKernelShape(new Shape(kernel))
                .optPadding(new Shape((kernel - 1) / 2))
                .build());
    // torch's BatchNorm1d defaults: eps 1e-5, momentum 0.1 (DJL keeps 0.9 of the running value).
    this.norm =
        addChildBlock(
            batchNorm ? "batch_norm" : "layer_norm",
            batchNorm
                ? BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build()
                : LayerNorm.builder().axis(2).build());
    this.pointwise2 = addChildBlock("pointwise_conv2", pointwise(dModel));
  }

  private static Block pointwise(int filters) {
    return Conv1d.builder().setFilters(filters).setKernelShape(new Shape(1)).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray mask = inputs.get(1);
    NDArray x = inputs.get(0).transpose(0, 2, 1);
    x = TensorOps.glu(apply(pointwise1, store, x, training), 1);
    x = x.mul(mask.expandDims(1));
    x = apply(depthwise, store, x, training);
    if (batchNorm) {
      x = apply(norm, store, x, training);
    } else {
      x = apply(norm, store, x.transpose(0, 2, 1), training).transpose(0, 2, 1);
    }
    x = apply(pointwise2, store, TensorOps.swish(x), training);
    return new NDList(x.transpose(0, 2, 1));
  }

  private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long frames = inputShapes[0].get(1);
    Shape channelsFirst = new Shape(batch, dModel, frames);
    pointwise1.initialize(manager, dataType, channelsFirst);
    depthwise.initialize(manager, dataType, channelsFirst);
    norm.initialize(
        manager, dataType, batchNorm ? channelsFirst : new Shape(batch, frames, dModel));
    pointwise2.initialize(manager, dataType, channelsFirst);
  }
}
