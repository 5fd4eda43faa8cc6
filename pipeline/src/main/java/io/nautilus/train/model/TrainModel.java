package io.nautilus.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.nautilus.shard.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the training engine needs from a model; the engine itself knows nothing about speech or
 * text. A model is built the same way on every rank, so its parameter names and shapes agree.
 */
public interface TrainModel {
  /** The network. Its parameter names fix the order of gradients on the wire. */
  Block block();

  /** The input shapes {@link Block#initialize} needs. */
  Shape[] inputShapes();

  /** Collates samples read from shards into one batch on the manager's device. */
  NDList collate(List<Sample> samples, NDManager manager);

  /**
   * The batch's mean loss, a scalar. Called under autograd while training, so it must build the
   * graph from the block's parameters.
   */
  NDArray loss(NDList batch, boolean training);

  /**
   * Validation sums for one batch, e.g. {@code val_loss -> [sum of per-sample losses, samples]}.
   * The engine adds them over batches and ranks and reports sum / count.
   */
  Map<String, double[]> evaluate(NDList batch);

  /** The keys {@link #evaluate} returns, the same on every rank (a rank may see no data). */
  List<String> validationMetrics();

  /**
   * State that is not trained by gradients but belongs to the model, such as BatchNorm running
   * statistics, by name. The engine checkpoints it and gives every rank rank 0's copy before
   * validating and saving, as PyTorch DDP broadcasts buffers.
   */
  default LinkedHashMap<String, NDArray> buffers() {
    return new LinkedHashMap<>();
  }
}
