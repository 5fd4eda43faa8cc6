package io.nautilus.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradClipTest {
  private NDManager manager;
  private List<NDArray> grads;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    // |[3, 4]|^2 + |[12]|^2 = 169
    grads = List.of(manager.create(new float[] {3f, 4f}), manager.create(new float[] {12f}));
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void globalNormSpansAllGradients() {
    assertThat(GradClip.globalNorm(grads)).isEqualTo(13.0);
    assertThat(GradClip.globalNorm(List.of())).isZero();
  }

  @Test
  void globalNormAccumulatesInDoublePrecision() {
    Random random = new Random(7);
    float[] values = new float[100_000];
    double sumSq = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 1e-3);
      sumSq += (double) values[i] * values[i];
    }
    double norm = GradClip.globalNorm(List.of(manager.create(values)));
    assertThat(norm).isCloseTo(Math.sqrt(sumSq), within(1e-13 * Math.sqrt(sumSq)));
  }

  @Test
  void clipScalesEveryGradientByMaxNormOverNorm() {
    double norm = GradClip.clip(grads, 6.5);
    assertThat(norm).isEqualTo(13.0);
    double factor = 6.5 / (13 + 1e-6);
    assertThat(grads.get(0).toFloatArray())
        .containsExactly(new float[] {(float) (3 * factor), (float) (4 * factor)}, within(1e-6f));
    assertThat(grads.get(1).toFloatArray())
        .containsExactly(new float[] {(float) (12 * factor)}, within(1e-6f));
    assertThat(GradClip.globalNorm(grads)).isCloseTo(6.5, within(1e-5));
  }

  @Test
  void gradientsWithinTheLimitOrWithClippingOffAreUntouched() {
    assertThat(GradClip.clip(grads, 13.5)).isEqualTo(13.0);
    assertThat(GradClip.clip(grads, 0)).isEqualTo(13.0);
    assertThat(GradClip.clip(grads, -1)).isEqualTo(13.0);
    assertThat(grads.get(0).toFloatArray()).containsExactly(3f, 4f);
    assertThat(grads.get(1).toFloatArray()).containsExactly(12f);
  }

  @Test
  void nonFiniteNormIsReportedAndLeavesGradientsAlone() {
    List<NDArray> bad = List.of(manager.create(new float[] {1f, Float.NaN}));
    assertThat(GradClip.clip(bad, 1.0)).isNaN();
    assertThat(bad.get(0).toFloatArray()).containsExactly(1f, Float.NaN);
    List<NDArray> huge = List.of(manager.create(new float[] {Float.POSITIVE_INFINITY}));
    assertThat(GradClip.clip(huge, 1.0)).isInfinite();
    assertThat(huge.get(0).toFloatArray()).containsExactly(Float.POSITIVE_INFINITY);
  }
}
