package io.nautilus.asr.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.nautilus.asr.features.SpecAugment.Masks;
import io.nautilus.asr.features.SpecAugment.Span;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpecAugmentTest {

  private static int[] randomLengths(int count, int max, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      lengths[i] = random.nextInt(max + 1);
    }
    return lengths;
  }

  @Test
  void referenceMasksStayWithinTheirWidthsTheBandsAndTheValidFrames() {
    int[] lengths = randomLengths(400, 1500, 5);
    List<Masks> plan = SpecAugment.reference().plan(lengths, 80, 11);
    assertThat(plan).hasSize(400);
    for (int b = 0; b < lengths.length; b++) {
      Masks masks = plan.get(b);
      assertThat(masks.freq()).hasSize(2);
      assertThat(masks.time()).hasSize(10);
      for (Span span : masks.freq()) {
        assertThat(span.width()).isBetween(0, 27);
        assertThat(span.start()).isBetween(0, 80 - 27);
        assertThat(span.end()).isLessThanOrEqualTo(80);
      }
      int widest = Math.max(1, (int) (lengths[b] * 0.05));
      for (Span span : masks.time()) {
        assertThat(span.width()).isBetween(0, widest);
        assertThat(span.start()).isGreaterThanOrEqualTo(0);
        assertThat(span.end()).isLessThanOrEqualTo(lengths[b]);
      }
    }
  }

  @Test
  void widthsRangeOverBothEndsInclusiveAsNemoDrawsThem() {
    List<Masks> plan = new SpecAugment(2, 4, 3, TimeWidth.of(3)).plan(new int[500], 10, 3);
    Set<Integer> freqWidths = new HashSet<>();
    Set<Integer> freqStarts = new HashSet<>();
    plan.forEach(
        m ->
            m.freq()
                .forEach(
                    s -> {
                      freqWidths.add(s.width());
                      freqStarts.add(s.start());
                    }));
    assertThat(freqWidths).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    assertThat(freqStarts).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    List<Masks> fixed =
        new SpecAugment(0, 0, 3, TimeWidth.of(3)).plan(randomLengths(500, 100, 1), 10, 3);
    Set<Integer> timeWidths = new HashSet<>();
    fixed.forEach(m -> m.time().forEach(s -> timeWidths.add(s.width())));
    assertThat(timeWidths).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void planIsDeterministicPerSeedAndPerUtterance() {
    SpecAugment augment = SpecAugment.reference();
    int[] lengths = {700, 300, 1200};
    assertThat(augment.plan(lengths, 80, 42)).isEqualTo(augment.plan(lengths, 80, 42));
    assertThat(augment.plan(lengths, 80, 43)).isNotEqualTo(augment.plan(lengths, 80, 42));
    // An utterance's masks do not depend on the rest of the batch.
    assertThat(augment.plan(new int[] {700}, 80, 42).get(0))
        .isEqualTo(augment.plan(lengths, 80, 42).get(0));
  }

  @Test
  void applyZeroesExactlyThePlannedCellsAndLeavesPaddingAlone() {
    int bands = 20;
    int frames = 60;
    int[] lengths = {60, 35, 0};
    SpecAugment augment = new SpecAugment(2, 5, 4, TimeWidth.of(0.2));
    float[] data = new float[3 * bands * frames];
    for (int i = 0; i < data.length; i++) {
      data[i] = 1 + i % 7;
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray features = manager.create(data, new Shape(3, bands, frames));
      float[] out = augment.apply(features, lengths, 9).toFloatArray();
      List<Masks> plan = augment.plan(lengths, bands, 9);
      int zeros = 0;
      for (int b = 0; b < 3; b++) {
        for (int m = 0; m < bands; m++) {
          for (int t = 0; t < frames; t++) {
            int i = (b * bands + m) * frames + t;
            boolean masked =
                t < lengths[b] && (covers(plan.get(b).freq(), m) || covers(plan.get(b).time(), t));
            assertThat(out[i])
                .as("b %d band %d frame %d", b, m, t)
                .isEqualTo(masked ? 0f : data[i]);
            zeros += masked ? 1 : 0;
          }
        }
      }
      assertThat(zeros).as("the masks must hit something").isGreaterThan(100);
    }
  }

  private static boolean covers(List<Span> spans, int index) {
    return spans.stream().anyMatch(s -> s.start() <= index && index < s.end());
  }

  @Test
  void timeWidthTypeFollowsTheYamlNumber() {
    assertThat(TimeWidth.of(25)).isEqualTo(new TimeWidth.Frames(25));
    assertThat(TimeWidth.of(0.05)).isEqualTo(new TimeWidth.Fraction(0.05));
    assertThat(TimeWidth.of(0.05).maxFrames(1000)).isEqualTo(50);
    assertThat(TimeWidth.of(0.05).maxFrames(10)).isEqualTo(1);
    assertThat(TimeWidth.of(25).maxFrames(10)).isEqualTo(25);
  }

  @Test
  void impossibleSettingsAreRejected() {
    assertThatThrownBy(() -> new SpecAugment(2, 27, 10, TimeWidth.of(0.05)).plan(new int[1], 20, 0))
        .hasMessage("Cannot apply SpecAugment: freq_width 27 exceeds the 20 feature bands");
    assertThatThrownBy(() -> new SpecAugment(-1, 27, 10, TimeWidth.of(0.05)))
        .hasMessage(
            "Cannot create SpecAugment: freq_masks -1, freq_width 27 and time_masks 10 must be"
                + " >= 0");
    assertThatThrownBy(() -> TimeWidth.of(1.5))
        .hasMessage("Cannot use time_width 1.5: a fraction must lie in [0, 1]");
  }
}
