package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One block of {@link ConvEncoder}, NeMo's {@code JasperBlock}: {@code repeat} sub-blocks of masked
 * (separable) convolution and BatchNorm, ReLU and dropout between them; the last sub-block's output
 * plus the optional residual branch goes through ReLU and dropout. Input (B, C, T) and lengths (B),
 * output (B, filters, T') and lengths (B).
 */
final class ConvBlock extends AbstractBlock {
  /** NeMo's {@code JasperBlock} BatchNorm epsilon. */
  static final float BATCH_NORM_EPS = 1e-3f;

  private final int inChannels;
  private final ConvBlockConfig config;
  private final List<Block> depthwise = new ArrayList<>();
  private final List<Block> convs = new ArrayList<>();
  private final List<Block> norms = new ArrayList<>();
  private final Block residualConv;
  private final Block residualNorm;

  ConvBlock(int inChannels, ConvBlockConfig config) {
    this.inChannels = inChannels;
    this.config = config;
    int in = inChannels;
    for (int r = 0; r < config.repeat(); r++) {
      Shape kernel = new Shape(config.kernel());
      Shape stride = new Shape(config.stride());
      Shape dilation = new Shape(config.dilation());
      Shape padding = new Shape(config.padding());
      if (config.separable()) {
        depthwise.add(
            addChildBlock(
                "dw" + r,
                Conv1d.builder()
                    .setFilters(in)
                    .optGroups(in)
                    .setKernelShape(kernel)
                    .optStride(stride)
                    .optDilation(dilation)
                    .optPadding(padding)
                    .optBias(false)
                    .build()));
        convs.add(addChildBlock("pw" + r, pointwise(config.filters())));
      } else {
        convs.add(
            addChildBlock(
                "conv" + r,
                Conv1d.builder()
                    .setFilters(config.filters())
                    .setKernelShape(kernel)
                    .optStride(stride)
                    .optDilation(dilation)
                    .optPadding(padding)
                    .optBias(false)
                    .build()));
      }
      norms.add(addChildBlock("bn" + r, batchNorm()));
      in = config.filters();
    }
    residualConv =
        config.residual() ? addChildBlock("res_conv", pointwise(config.filters())) : null;
    residualNorm = config.residual() ? addChildBlock("res_bn", batchNorm()) : null;
  }

  private static Block pointwise(int filters) {
    return Conv1d.builder().setFilters(filters).setKernelShape(new Shape(1)).optBias(false).build();
  }

  private static Block batchNorm() {
    // DJL's momentum is the weight kept on the running value: 0.9 is torch's momentum 0.1.
    return BatchNorm.builder().optEpsilon(BATCH_NORM_EPS).optMomentum(0.9f).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.get(0);
    NDArray inputLengths = inputs.get(1);
    NDArray x = input;
    NDArray lengths = inputLengths;
    float rate = (float) config.dropout();
    for (int r = 0; r < config.repeat(); r++) {
      x = Masks.channelsFirst(x, lengths);
      if (config.separable()) {
        x = forward(depthwise.get(r), store, x, training);
      }
      x = forward(convs.get(r), store, x, training);
      if (config.stride() > 1) {
        lengths = Masks.map(lengths, config::convLength);
      }
      x = forward(norms.get(r), store, x, training);
      if (r < config.repeat() - 1) {
        x = TensorOps.dropout(Activation.relu(x), rate, training);
      }
    }
    if (residualConv != null) {
      NDArray res = forward(residualConv, store, input, training);
      x = x.add(forward(residualNorm, store, res, training));
    }
    x = TensorOps.dropout(Activation.relu(x), rate, training);
    return new NDList(x, lengths);
  }

  private static NDArray forward(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long frames = config.outputLength(in.get(2));
    return new Shape[] {new Shape(in.get(0), config.filters(), frames), inputShapes[1]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long frames = inputShapes[0].get(2);
    int in = inChannels;
    for (int r = 0; r < config.repeat(); r++) {
      Shape x = new Shape(batch, in, frames);
      if (config.separable()) {
        depthwise.get(r).initialize(manager, dataType, x);
      }
      convs.get(r).initialize(manager, dataType, x);
      frames = config.convLength(frames);
      norms.get(r).initialize(manager, dataType, new Shape(batch, config.filters(), frames));
      in = config.filters();
    }
    if (residualConv != null) {
      residualConv.initialize(manager, dataType, new Shape(batch, inChannels, frames));
      residualNorm.initialize(manager, dataType, new Shape(batch, config.filters(), frames));
    }
  }
}
