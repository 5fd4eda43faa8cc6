package io.nautilus.asr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;

/**
 * Encoder plus CTC head: features (B, feat_in, T) float and lengths (B) integer in,
 * log-probabilities (B, T', labels + 1) and output lengths (B) int64 out, the blank last. The
 * log-mel front end stays outside: it has no weights and runs before batching decisions are made.
 */
public final class AsrNetwork extends AbstractBlock {
  /** Frames {@link #inputShapes} uses to initialise; any length works afterwards. */
  static final long INIT_FRAMES = 16;

  private final AsrModelConfig config;
  private final AsrEncoder encoder;
  private final CtcHead head;

  public AsrNetwork(AsrModelConfig config) {
    this.config = config;
    this.encoder = addChildBlock("encoder", config.encoder().build());
    this.head = addChildBlock("decoder", new CtcHead(config.labels().size()));
  }

  public AsrModelConfig config() {
    return config;
  }

  public AsrEncoder encoder() {
    return encoder;
  }

  /** The blank's index: the number of labels. */
  public int blank() {
    return config.labels().size();
  }

  /** Output frames for {@code inputFrames} valid feature frames. */
  public long outputLength(long inputFrames) {
    return encoder.outputLength(inputFrames);
  }

  /** Shapes to pass to {@link #initialize}: one utterance of {@value #INIT_FRAMES} frames. */
  public Shape[] inputShapes() {
    return new Shape[] {new Shape(1, config.encoder().featIn(), INIT_FRAMES), new Shape(1)};
  }

  /**
   * The network's state that is not trained by gradients: BatchNorm running means and variances, by
   * parameter name. A checkpoint must hold them next to the trainable parameters, or an evaluation
   * of a restored model normalises with the initial 0 and 1; ranks should also take rank 0's before
   * evaluating (as PyTorch DDP broadcasts buffers), since each rank's follow its own batches.
   */
  public LinkedHashMap<String, NDArray> runningStatistics() {
    LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : getParameters()) {
      Parameter.Type type = p.getValue().getType();
      if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
        out.put(p.getKey(), p.getValue().getArray());
      }
    }
    return out;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException(
          "Cannot run the ASR network: expected features and lengths, got "
              + inputs.size()
              + " arrays");
    }
    NDList encoded = encoder.forward(store, inputs, training);
    NDArray logProbs = head.forward(store, new NDList(encoded.get(0)), training).singletonOrThrow();
    return new NDList(logProbs, encoded.get(1).toType(DataType.INT64, false));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] encoded = encoder.getOutputShapes(inputShapes);
    return new Shape[] {head.getOutputShapes(new Shape[] {encoded[0]})[0], encoded[1]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, encoder.getOutputShapes(inputShapes)[0]);
  }
}
