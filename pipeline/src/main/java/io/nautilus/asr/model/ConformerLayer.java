package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.nautilus.train.engine.Scalars;

/**
 * One Conformer block in NeMo's order, each module pre-normed and residual: half-step feed-forward,
 * self-attention, convolution module, half-step feed-forward, final LayerNorm. Input (B, T, d)
 * frames and a (B, T) mask; output (B, T, d).
 */
final class ConformerLayer extends AbstractBlock {
  private final float dropout;
  private final Block normFf1;
  private final Block ff1;
  private final Block normAtt;
  private final Block attention;
  private final Block normConv;
  private final Block conv;
  private final Block normFf2;
  private final Block ff2;
  private final Block normOut;

  ConformerLayer(ConformerConfig c) {
    this.dropout = (float) c.dropout();
    normFf1 = addChildBlock("norm_feed_forward1", layerNorm());
    ff1 = addChildBlock("feed_forward1", ffn(c));
    normAtt = addChildBlock("norm_self_att", layerNorm());
    attention =
        addChildBlock("self_attn", new MultiHeadAttention(c.dModel(), c.nHeads(), c.dropoutAtt()));
    normConv = addChildBlock("norm_conv", layerNorm());
    conv =
        addChildBlock(
            "conv", new ConvolutionModule(c.dModel(), c.convKernelSize(), c.convNormType()));
    normFf2 = addChildBlock("norm_feed_forward2", layerNorm());
    ff2 = addChildBlock("feed_forward2", ffn(c));
    normOut = addChildBlock("norm_out", layerNorm());
  }

  private static Block layerNorm() {
    return LayerNorm.builder().axis(2).build();
  }

  private static Block ffn(ConformerConfig c) {
    return new FeedForward(c.dModel(), c.ffExpansionFactor(), c.dropout());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray mask = inputs.get(1);
    NDArray x = inputs.get(0);
    x =
        residual(
            x, apply(ff1, store, apply(normFf1, store, x, training), training), 0.5f, training);
    NDArray normed = apply(normAtt, store, x, training);
    x = residual(x, applyMasked(attention, store, normed, mask, training), 1f, training);
    normed = apply(normConv, store, x, training);
    x = residual(x, applyMasked(conv, store, normed, mask, training), 1f, training);
    x =
        residual(
            x, apply(ff2, store, apply(normFf2, store, x, training), training), 0.5f, training);
    return new NDList(apply(normOut, store, x, training));
  }

  private NDArray residual(NDArray x, NDArray update, float scale, boolean training) {
    NDArray dropped = TensorOps.dropout(update, dropout, training);
    return x.add(scale == 1f ? dropped : dropped.mul(Scalars.of(dropped, scale)));
  }

  private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  private static NDArray applyMasked(
      Block block, ParameterStore store, NDArray x, NDArray mask, boolean training) {
    return block.forward(store, new NDList(x, mask), training).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape frames = inputShapes[0];
    Shape mask = new Shape(frames.get(0), frames.get(1));
    for (Block block : new Block[] {normFf1, ff1, normAtt, normConv, normFf2, ff2, normOut}) {
      block.initialize(manager, dataType, frames);
    }
    attention.initialize(manager, dataType, frames, mask);
    conv.initialize(manager, dataType, frames, mask);
  }
}
