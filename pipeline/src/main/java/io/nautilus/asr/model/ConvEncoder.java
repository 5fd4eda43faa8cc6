package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A QuartzNet/Citrinet-like convolutional encoder (NeMo's {@code ConvASREncoder}), light enough to
 * train on a CPU. Input features (B, feat_in, T) and lengths (B); output frames (B, T', C) and
 * lengths (B), T' by {@link ConvEncoderConfig#outputLength}.
 *
 * <p>Every convolution's input is zeroed past each utterance's current length, as NeMo's {@code
 * conv_mask} does, so padding never reaches a valid frame: in eval mode an utterance's outputs do
 * not depend on what it is batched with. In training mode BatchNorm normalises with the batch's
 * statistics, padded frames included (as in NeMo), so there the batch does matter.
 */
public final class ConvEncoder extends AbstractBlock implements AsrEncoder {
  private final ConvEncoderConfig config;
  private final List<ConvBlock> blocks = new ArrayList<>();

  public ConvEncoder(ConvEncoderConfig config) {
    this.config = config;
    int in = config.featIn();
    for (int i = 0; i < config.blocks().size(); i++) {
      ConvBlockConfig block = config.blocks().get(i);
      blocks.add(addChildBlock("block" + i, new ConvBlock(in, block)));
      in = block.filters();
    }
  }

  @Override
  public ConvEncoderConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    Shape shape = x.getShape();
    if (shape.dimension() != 3 || shape.get(1) != config.featIn()) {
      throw new IllegalArgumentException(
          "Cannot run the conv encoder: features must be (B, "
              + config.featIn()
              + ", T), got "
              + shape);
    }
    Masks.checkLengths(inputs.get(1), shape.get(0), "the conv encoder");
    NDList state = new NDList(x, inputs.get(1));
    for (ConvBlock block : blocks) {
      state = block.forward(store, state, training);
    }
    return new NDList(state.get(0).transpose(0, 2, 1), state.get(1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {
      new Shape(in.get(0), config.outputLength(in.get(2)), config.outputSize()), inputShapes[1]
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (ConvBlock block : blocks) {
      block.initialize(manager, dataType, shapes);
      shapes = block.getOutputShapes(shapes);
    }
  }
}
