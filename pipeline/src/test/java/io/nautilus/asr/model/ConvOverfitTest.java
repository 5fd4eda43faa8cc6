package io.nautilus.asr.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.nautilus.asr.ctc.CtcLoss;
import io.nautilus.asr.ctc.Reduction;
import io.nautilus.asr.text.CharTokenizer;
import io.nautilus.asr.text.CtcDecoder;
import io.nautilus.train.engine.Autograd;
import io.nautilus.train.engine.ParamSet;
import io.nautilus.train.optim.Optimizer;
import io.nautilus.train.optim.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conv network, CTC loss, Adam and greedy decoding learn two utterances by heart. */
class ConvOverfitTest {
  private static final int STEPS = 150;
  private static int threads;

  // Two intra-op threads on a shared, busy 2-core machine spin against each other: a step of this
  // small model then takes ~0.4 s instead of ~20 ms. The results do not depend on the count.
  @BeforeAll
  static void oneThread() {
    threads = TestNets.setTorchThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    TestNets.setTorchThreads(threads);
  }

  @Test
  void convNetworkMemorisesTwoUtterances() {
    AsrNetwork net = TestNets.network(TestNets.conv());
    CharTokenizer tokenizer = net.config().tokenizer();
    int[] first = tokenizer.encode("cab");
    int[] second = tokenizer.encode("deed a");
    long[] frames = {48, 40};
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        Autograd off = Autograd.pause();
        Optimizer adam = Optimizers.create("adam", Map.of("lr", 1e-3))) {
      ParamSet params = TestNets.initialize(net, manager, 5);
      NDArray features = TestNets.noise(manager, 9, 2, TestNets.FEATURES, 48);
      NDArray lengths = manager.create(frames);
      NDArray targets = manager.create(padded(first, second), new Shape(2, second.length));
      NDArray targetLengths = manager.create(new long[] {first.length, second.length});
      ParameterStore store = new ParameterStore(manager, false);
      double start = 0;
      double end = 0;
      for (int step = 0; step < STEPS; step++) {
        try (NDManager sub = manager.newSubManager()) {
          sub.tempAttachAll(features, lengths, targets, targetLengths);
          try (Autograd recording = Autograd.record()) {
            NDList out = net.forward(store, new NDList(features, lengths), true);
            NDArray loss =
                CtcLoss.loss(
                    out.get(0),
                    out.get(1),
                    targets,
                    targetLengths,
                    net.blank(),
                    Reduction.MEAN_BATCH,
                    true);
            end = loss.getFloat();
            start = step == 0 ? end : start;
            recording.backward(loss);
          }
          List<NDArray> grads = new ArrayList<>();
          for (NDArray w : params.weights()) {
            NDArray grad = w.getGradient();
            grad.attach(sub);
            grads.add(grad);
          }
          adam.step(params.names(), params.weights(), grads, 1e-3);
          params.zeroGradients();
        }
      }
      assertThat(end).isLessThan(start * 0.1);

      NDList out = net.forward(store, new NDList(features, lengths), false);
      long[] outLengths = out.get(1).toLongArray();
      CtcDecoder decoder = CtcDecoder.forTokenizer(tokenizer);
      float[][][] logProbs = frames(out.get(0));
      assertThat(decoder.greedy(logProbs[0], (int) outLengths[0])).containsExactly(first);
      assertThat(decoder.greedy(logProbs[1], (int) outLengths[1])).containsExactly(second);
    }
  }

  private static long[] padded(int[] first, int[] second) {
    long[] out = new long[2 * second.length];
    for (int i = 0; i < first.length; i++) {
      out[i] = first[i];
    }
    for (int i = 0; i < second.length; i++) {
      out[second.length + i] = second[i];
    }
    return out;
  }

  private static float[][][] frames(NDArray logProbs) {
    Shape s = logProbs.getShape();
    float[] flat = logProbs.toFloatArray();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    int v = (int) s.get(2);
    float[][][] out = new float[b][t][v];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(flat, (i * t + j) * v, out[i][j], 0, v);
      }
    }
    return out;
  }
}
