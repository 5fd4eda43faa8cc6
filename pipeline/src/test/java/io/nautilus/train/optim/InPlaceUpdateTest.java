package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Updates in place, on any thread, after real backward passes, without leaking native memory. */
class InPlaceUpdateTest {

  /** Squared-sum loss: its gradient is {@code 2 x}. */
  private static NDArray backward(NDArray x) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(x.mul(x).sum());
    }
    return x.getGradient();
  }

  @Test
  void updatesWorkOnAThreadWhereGradModeIsOnAndLeaveTheWeightALeaf() throws Exception {
    Engine.getInstance();
    // DJL turns grad mode off only on the thread that loaded the engine; a Spark task thread is
    // another one, where libtorch's default (on) holds and a plain weight.subi(..) is refused.
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<float[]> result =
          CompletableFuture.supplyAsync(
              () -> {
                assertThat(JniUtils.isGradMode()).isTrue();
                try (NDManager manager = NDManager.newBaseManager();
                    Optimizer sgd = Optimizers.create("sgd", Map.of("momentum", 0.5))) {
                  NDArray x = manager.create(new float[] {1f, 2f});
                  x.setRequiresGradient(true);
                  sgd.step(List.of("x"), List.of(x), List.of(backward(x)), 0.25); // x = [0.5, 1]
                  assertThat(JniUtils.requiresGrad((PtNDArray) x)).isTrue();
                  // DJL's PyTorch collector does not zero gradients; a trainer must.
                  NDArray grad = x.getGradient();
                  grad.subi(grad);
                  // Had autograd recorded the update, x would no longer be a leaf and get no grad.
                  assertThat(backward(x).toFloatArray()).containsExactly(1f, 2f);
                  return x.toFloatArray();
                }
              },
              thread);
      assertThat(result.get()).containsExactly(0.5f, 1f);
    } finally {
      thread.shutdownNow();
    }
  }

  @Test
  void fiveHundredStepsLeaveNoArraysOrManagersBehind() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Params params = new Params(manager);
      params.add("a", new Shape(4, 8), new float[32]);
      params.add("b", new float[8]);
      List<Optimizer> optimizers =
          List.of(
              Optimizers.create(
                  "sgd", Map.of("momentum", 0.9, "nesterov", true, "weight_decay", 0.1)),
              Optimizers.create("adam", Map.of("weight_decay", 0.1, "amsgrad", true)),
              Optimizers.create("adamw", Map.of()),
              Optimizers.create(
                  "novograd",
                  Map.of("amsgrad", true, "grad_averaging", true, "weight_decay", 0.1)));
      Ema ema = new Ema(0.99, 2);
      List<NDArray> grads =
          List.of(
              manager.create(Params.syntheticGrad(1, 0, 32), new Shape(4, 8)),
              manager.create(Params.syntheticGrad(1, 1, 8)));
      Runnable oneStep =
          () -> {
            GradClip.clip(grads, 0.5);
            for (Optimizer optimizer : optimizers) {
              optimizer.step(params.names, params.weights, grads, 1e-3);
            }
            ema.update(optimizers.get(0).steps() - 1, params.names, params.weights);
          };
      oneStep.run(); // creates the slots and the averages
      int arrays = manager.getManagedArrays().size();
      int resources = countResources(manager);
      for (int i = 0; i < 500; i++) {
        oneStep.run();
      }
      assertThat(manager.getManagedArrays()).hasSize(arrays);
      assertThat(countResources(manager)).isEqualTo(resources);
      // 2 weights + 2 grads + slots: sgd 2, adam 6, adamw 4, novograd 6; ema 2
      assertThat(arrays).isEqualTo(2 + 2 + 2 + 6 + 4 + 6 + 2);

      for (Optimizer optimizer : optimizers) {
        optimizer.close();
      }
      ema.close();
      assertThat(manager.getManagedArrays()).hasSize(4);
    }
  }

  /** Arrays and sub-managers under {@code manager}, however deep: a leaked scope shows here. */
  private static int countResources(NDManager manager) throws ReflectiveOperationException {
    Field field = BaseNDManager.class.getDeclaredField("resources");
    field.setAccessible(true);
    Map<?, ?> resources = (Map<?, ?>) field.get(manager);
    int count = resources.size();
    for (Object resource : resources.values()) {
      if (resource instanceof NDManager child) {
        count += countResources(child);
      }
    }
    return count;
  }
}
