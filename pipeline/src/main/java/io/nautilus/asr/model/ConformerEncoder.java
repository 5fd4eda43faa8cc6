package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.nautilus.train.engine.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * A Conformer encoder (Gulati et al. 2020) in the layout of NeMo's {@code ConformerEncoder}:
 * striding subsampling, frames scaled by sqrt(d_model) and absolute sinusoidal positions added,
 * then {@code n_layers} {@link ConformerLayer}s. Input features (B, feat_in, T) and lengths (B);
 * output (B, T', d_model) and lengths (B), T' by NeMo's {@code calc_length}.
 *
 * <p>Positions are absolute, not NeMo's default relative-position attention ({@code rel_pos}); the
 * config rejects {@code rel_pos} rather than silently train a different model.
 *
 * <p>Padded frames never reach valid ones: subsampling masks each convolution's input, attention
 * masks padded keys, and the convolution module zeroes padded frames before its depthwise
 * convolution. In eval mode an utterance's outputs therefore do not depend on its batch. With
 * {@code conv_norm_type: batch_norm}, training mode normalises with batch statistics that include
 * padded frames (as NeMo does), so there the batch matters.
 */
public final class ConformerEncoder extends AbstractBlock implements AsrEncoder {
  private final ConformerConfig config;
  private final ConvSubsampling subsampling;
  private final List<ConformerLayer> layers = new ArrayList<>();

  public ConformerEncoder(ConformerConfig config) {
    this.config = config;
    this.subsampling = addChildBlock("pre_encode", new ConvSubsampling(config));
    for (int i = 0; i < config.nLayers(); i++) {
      layers.add(addChildBlock("layer" + i, new ConformerLayer(config)));
    }
  }

  @Override
  public ConformerConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    Shape shape = inputs.get(0).getShape();
    if (shape.dimension() != 3 || shape.get(1) != config.featIn()) {
      throw new IllegalArgumentException(
          "Cannot run the Conformer encoder: features must be (B, "
              + config.featIn()
              + ", T), got "
              + shape);
    }
    Masks.checkLengths(inputs.get(1), shape.get(0), "the Conformer encoder");
    NDList sub = subsampling.forward(store, inputs, training);
    NDArray x = sub.get(0);
    NDArray lengths = sub.get(1);
    long frames = x.getShape().get(1);
    if (config.xscaling()) {
      x = x.mul(Scalars.of(x, Math.sqrt(config.dModel())));
    }
    NDArray positions =
        SinusoidalPositions.table(x.getManager(), frames, config.dModel(), x.getDataType());
    x = x.add(TensorOps.dropout(positions, (float) config.dropoutEmb(), training));
    x = TensorOps.dropout(x, (float) config.dropoutPreEncoder(), training);
    NDArray mask = Masks.frames(lengths, frames, x.getDataType());
    for (ConformerLayer layer : layers) {
      x = layer.forward(store, new NDList(x, mask), training).singletonOrThrow();
    }
    return new NDList(x, lengths);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return subsampling.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    subsampling.initialize(manager, dataType, inputShapes);
    Shape frames = subsampling.getOutputShapes(inputShapes)[0];
    for (ConformerLayer layer : layers) {
      layer.initialize(manager, dataType, frames, new Shape(frames.get(0), frames.get(1)));
    }
  }
}
