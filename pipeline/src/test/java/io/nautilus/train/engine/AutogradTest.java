package io.nautilus.train.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AutogradTest {

  private static float[] gradientOfSquares(float[] values, int passes) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(values);
      x.setRequiresGradient(true);
      for (int i = 0; i < passes; i++) {
        try (Autograd a = Autograd.record()) {
          a.backward(x.mul(x).sum());
        }
      }
      return x.getGradient().toFloatArray();
    }
  }

  @Test
  void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
    assertThat(gradientOfSquares(new float[] {1f, 2f}, 2)).containsExactly(4f, 8f);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(new float[] {Float.NaN, 3f});
      x.setRequiresGradient(true);
      try (Autograd a = Autograd.record()) {
        a.backward(x.mul(x).sum());
      }
      assertThat(x.getGradient().toFloatArray()[0]).isNaN();
      Autograd.zeroGradient(x);
      assertThat(x.getGradient().toFloatArray()).containsExactly(0f, 0f);
    }
  }

  @Test
  void severalThreadsRecordAtOnceAsSparkTaskThreadsDo() {
    List<CompletableFuture<float[]>> runs = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      float v = t + 1;
      runs.add(
          CompletableFuture.supplyAsync(
              () -> {
                float[] last = null;
                for (int i = 0; i < 50; i++) {
                  last = gradientOfSquares(new float[] {v, -v}, 1);
                }
                return last;
              }));
    }
    for (int t = 0; t < 4; t++) {
      assertThat(runs.get(t).join()).containsExactly(2f * (t + 1), -2f * (t + 1));
    }
  }

  @Test
  void pausedScopeRecordsNothing() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(new float[] {1f});
      x.setRequiresGradient(true);
      try (Autograd p = Autograd.pause()) {
        x.subi(m.create(new float[] {0.5f}));
      }
      assertThat(x.toFloatArray()).containsExactly(0.5f);
    }
  }
}
