package io.nautilus.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.nautilus.shard.Sample;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's reference model: a character language model that predicts each character of a text
 * from the {@code context} characters before it, with one hidden layer over their one-hot codes.
 * Small enough to train in seconds on a CPU, deterministic (no dropout), and real: its validation
 * loss falls well below the uniform {@code ln(V)} on the fortunes sample.
 *
 * <p>Text comes from a sample's {@code .txt} member (WebDataset shards written by {@code shard}
 * with {@code input.text_key}). Characters 32..126 have their own codes; anything else shares one
 * code; 0 stands for "before the start" in the context window. Texts are cut at {@code max_chars}.
 * The loss is the mean over characters of each text, then the mean over texts, so that ranks
 * averaging their batch means agree with one rank on the whole batch.
 */
public final class CharLm implements TrainModel {
  /** 0 = before the start, 1..95 = ASCII 32..126, 96 = any other character. */
  public static final int VOCAB = 97;

  private final int context;
  private final int maxChars;
  private final Block block;

  public CharLm(int context, int hidden, int maxChars) {
    if (context < 1 || hidden < 1 || maxChars < 1) {
      throw new IllegalArgumentException(
          "Cannot build char_lm: context, hidden and max_chars must be >= 1, got "
              + context
              + ", "
              + hidden
              + ", "
              + maxChars);
    }
    this.context = context;
    this.maxChars = maxChars;
    this.block =
        new SequentialBlock()
            .add(Linear.builder().setUnits(hidden).build())
            .add(Activation::tanh)
            .add(Linear.builder().setUnits(VOCAB).build());
  }

  @Override
  public Block block() {
    return block;
  }

  @Override
  public Shape[] inputShapes() {
    return new Shape[] {new Shape(1, (long) context * VOCAB)};
  }

  static int code(char c) {
    return c >= 32 && c <= 126 ? c - 31 : VOCAB - 1;
  }

  @Override
  public NDList collate(List<Sample> samples, NDManager manager) {
    int b = samples.size();
    int[] windows = new int[b * maxChars * context];
    int[] targets = new int[b * maxChars];
    float[] mask = new float[b * maxChars];
    for (int s = 0; s < b; s++) {
      byte[] txt = samples.get(s).members().get("txt");
      if (txt == null) {
        throw new IllegalArgumentException(
            "Cannot train char_lm on sample "
                + samples.get(s).key()
                + " of "
                + samples.get(s).url()
                + ": it has no .txt member (shard with input.text_key set)");
      }
      String text = new String(txt, StandardCharsets.UTF_8);
      int n = Math.min(text.length(), maxChars);
      for (int i = 0; i < n; i++) {
        int row = s * maxChars + i;
        targets[row] = code(text.charAt(i));
        mask[row] = 1f;
        for (int j = 0; j < context; j++) {
          int at = i - context + j;
          windows[row * context + j] = at < 0 ? 0 : code(text.charAt(at));
        }
      }
    }
    NDArray x = manager.create(windows, new Shape((long) b * maxChars, context));
    NDArray y = manager.create(targets, new Shape((long) b * maxChars));
    NDArray m = manager.create(mask, new Shape(b, maxChars));
    return new NDList(x, y, m);
  }

  /** Per-text mean loss, shape (B). */
  private NDArray perSample(NDList batch, boolean training) {
    NDArray windows = batch.get(0);
    NDArray targets = batch.get(1);
    NDArray mask = batch.get(2);
    long rows = windows.getShape().get(0);
    NDArray input = windows.oneHot(VOCAB).toType(DataType.FLOAT32, false).reshape(rows, -1);
    NDArray logits =
        block
            .forward(new ParameterStore(input.getManager(), false), new NDList(input), training)
            .singletonOrThrow();
    NDArray picked =
        logits
            .logSoftmax(-1)
            .mul(targets.oneHot(VOCAB).toType(DataType.FLOAT32, false))
            .sum(new int[] {-1});
    NDArray perChar = picked.neg().reshape(mask.getShape()).mul(mask);
    NDArray counts = mask.sum(new int[] {1}).maximum(1f);
    return perChar.sum(new int[] {1}).div(counts);
  }

  @Override
  public NDArray loss(NDList batch, boolean training) {
    return perSample(batch, training).mean();
  }

  @Override
  public List<String> validationMetrics() {
    return List.of("val_loss");
  }

  @Override
  public Map<String, double[]> evaluate(NDList batch) {
    NDArray losses = perSample(batch, false);
    Map<String, double[]> out = new LinkedHashMap<>();
    out.put("val_loss", new double[] {losses.sum().getFloat(), losses.size()});
    return out;
  }
}
