package io.nautilus.train.ckpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small deterministic checkpoints for tests. */
final class Checkpoints {
  private Checkpoints() {}

  /** A checkpoint whose meta and values depend on {@code step} only. */
  static Checkpoint atStep(long step) {
    LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
    meta.put("step", step);
    meta.put("epoch", step / 10);
    meta.put("world_size", 2L);
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    float[] w = new float[6];
    for (int i = 0; i < w.length; i++) {
      w[i] = step + i / 8f;
    }
    tensors.put("model/w", new Tensor(new long[] {2, 3}, w));
    tensors.put("optim/w.momentum", new Tensor(new long[] {2, 3}, w.clone()));
    tensors.put("ema/w", Tensor.vector(step * 0.5f, -step));
    return new Checkpoint(meta, tensors);
  }

  /** Asserts equal meta and bit-identical tensors, in the same order. */
  static void assertSame(Checkpoint actual, Checkpoint expected) {
    assertThat(actual.meta()).isEqualTo(expected.meta());
    assertThat(actual.tensors().keySet()).containsExactlyElementsOf(expected.tensors().keySet());
    for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
      Tensor a = actual.tensors().get(e.getKey());
      assertThat(a.shape()).as(e.getKey()).containsExactly(e.getValue().shape());
      assertThat(bits(a.data())).as(e.getKey()).isEqualTo(bits(e.getValue().data()));
    }
  }

  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
