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
import io.nautilus.train.engine.Scalars;

/**
 * Multi-head scaled dot-product self-attention with a key padding mask. Input (B, T, d) frames and
 * a (B, T) mask of valid frames; output (B, T, d). Scores of padded keys get NeMo's -10000 (its
 * {@code INF_VAL} for float32), whose softmax weight underflows to exactly 0, so valid frames see
 * only valid frames.
 */
final class MultiHeadAttention extends AbstractBlock {
  /** NeMo's masking value for float32 scores. */
  static final float MASKED = 10000f;

  private final int dModel;
  private final int heads;
  private final float dropout;
  private final Block query;
  private final Block key;
  private final Block value;
  private final Block out;

  MultiHeadAttention(int dModel, int heads, double dropoutAtt) {
    this.dModel = dModel;
    this.heads = heads;
    this.dropout = (float) dropoutAtt;
    this.query = addChildBlock("linear_q", Linear.builder().setUnits(dModel).build());
    this.key = addChildBlock("linear_k", Linear.builder().setUnits(dModel).build());
    this.value = addChildBlock("linear_v", Linear.builder().setUnits(dModel).build());
    this.out = addChildBlock("linear_out", Linear.builder().setUnits(dModel).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    long batch = x.getShape().get(0);
    long frames = x.getShape().get(1);
    int dk = dModel / heads;
    NDArray q = split(query, store, x, training);
    NDArray k = split(key, store, x, training);
    NDArray v = split(value, store, x, training);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Scalars.of(q, Math.sqrt(dk)));
    NDArray penalty = mask.sub(1f).mul(MASKED).reshape(batch, 1, 1, frames);
    NDArray weights = scores.add(penalty).softmax(-1);
    weights = TensorOps.dropout(weights, dropout, training);
    NDArray context = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, frames, (long) dModel);
    return out.forward(store, new NDList(context), training);
  }

  /** (B, T, d) projected and split into heads: (B, H, T, d / H). */
  private NDArray split(Block linear, ParameterStore store, NDArray x, boolean training) {
    Shape s = x.getShape();
    return linear
        .forward(store, new NDList(x), training)
        .singletonOrThrow()
        .reshape(s.get(0), s.get(1), heads, dModel / heads)
        .transpose(0, 2, 1, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block linear : new Block[] {query, key, value, out}) {
      linear.initialize(manager, dataType, inputShapes[0]);
    }
  }
}
