package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * NeMo's {@code striding} subsampling: the features as a one-channel image (B, 1, T, F), then per
 * factor of two a 3x3 Conv2d with stride 2 and padding 1 and a ReLU, then a linear map of each
 * frame's channels x reduced features to {@code d_model}. Input (B, F, T) and lengths, output (B,
 * T', d_model) and lengths.
 *
 * <p>Unlike NeMo's plain version, each convolution's input is zeroed past each utterance's length,
 * so batch padding cannot reach the last valid frames through the kernel's right edge.
 */
final class ConvSubsampling extends AbstractBlock {
  private final ConformerConfig config;
  private final List<Block> convs = new ArrayList<>();
  private final Block out;

  ConvSubsampling(ConformerConfig config) {
    this.config = config;
    for (int i = 0; i < config.subsamplingLayers(); i++) {
      convs.add(
          addChildBlock(
              "conv" + i,
              Conv2d.builder()
                  .setFilters(config.convChannels())
                  .setKernelShape(new Shape(3, 3))
                  .optStride(new Shape(2, 2))
                  .optPadding(new Shape(1, 1))
                  .build()));
    }
    out = addChildBlock("out", Linear.builder().setUnits(config.dModel()).build());
  }

  /** Feature bins left after the strided convolutions. */
  private long reducedFeatures() {
    long features = config.featIn();
    for (int i = 0; i < config.subsamplingLayers(); i++) {
      features = ConformerConfig.stridedLength(features);
    }
    return features;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0).transpose(0, 2, 1).expandDims(1);
    NDArray lengths = inputs.get(1);
    for (Block conv : convs) {
      NDArray mask = Masks.frames(lengths, x.getShape().get(2), x.getDataType());
      x = x.mul(mask.expandDims(1).expandDims(3));
      x = Activation.relu(conv.forward(store, new NDList(x), training).singletonOrThrow());
      lengths = Masks.map(lengths, ConformerConfig::stridedLength);
    }
    Shape s = x.getShape();
    x = x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    return new NDList(out.forward(store, new NDList(x), training).singletonOrThrow(), lengths);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {
      new Shape(in.get(0), config.outputLength(in.get(2)), config.dModel()), inputShapes[1]
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long frames = inputShapes[0].get(2);
    long features = config.featIn();
    long channels = 1;
    for (Block conv : convs) {
      conv.initialize(manager, dataType, new Shape(batch, channels, frames, features));
      frames = ConformerConfig.stridedLength(frames);
      features = ConformerConfig.stridedLength(features);
      channels = config.convChannels();
    }
    out.initialize(manager, dataType, new Shape(batch, frames, channels * reducedFeatures()));
  }
}
