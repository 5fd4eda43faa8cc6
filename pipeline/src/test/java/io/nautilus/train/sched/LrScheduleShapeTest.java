package io.nautilus.train.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape properties over every step of small schedules: the hand-checked values between. */
class LrScheduleShapeTest {
  private static final long WARMUP = 20;
  private static final long MAX = 200;
  private static final double BASE = 0.5;
  private static final double MIN = 0.01;

  /** The schedules that decay after warmup and end at min_lr after max_steps. */
  private static List<LrSchedule> decaying() {
    return List.of(
        new WarmupAnnealing(BASE, WARMUP, MAX, MIN),
        new CosineAnnealing(BASE, WARMUP, 0, MAX, MIN),
        new CosineAnnealing(BASE, WARMUP, 30, MAX, MIN),
        new InverseSquareRootAnnealing(BASE, WARMUP, MAX, MIN),
        new PolynomialDecayAnnealing(BASE, WARMUP, MAX, MIN, 2.0, false),
        new PolynomialDecayAnnealing(BASE, WARMUP, MAX, MIN, 0.5, true),
        new SquareAnnealing(BASE, WARMUP, MAX, MIN),
        new SquareRootAnnealing(BASE, WARMUP, MAX, MIN),
        new NoamHoldAnnealing(BASE, WARMUP, 40, 0.5, MAX, MIN),
        new NoamHoldAnnealing(BASE, WARMUP, 0, 1.0, MAX, MIN));
  }

  @Test
  void warmupRisesStrictlyAndEndsAtTheBaseRate() {
    for (LrSchedule s : decaying()) {
      for (long step = 1; step <= WARMUP; step++) {
        assertThat(s.lr(step)).as("%s at %d", s, step).isGreaterThan(s.lr(step - 1));
      }
      assertThat(s.lr(WARMUP)).as("%s", s).isEqualTo(BASE);
    }
  }

  @Test
  void afterWarmupTheRateNeverRises() {
    for (LrSchedule s : decaying()) {
      for (long step = WARMUP + 1; step <= 3 * MAX; step++) {
        assertThat(s.lr(step)).as("%s at %d", s, step).isLessThanOrEqualTo(s.lr(step - 1));
      }
    }
  }

  @Test
  void theRateStaysAtOrAboveMinLrWhereNemoFloorsIt() {
    for (LrSchedule s : decaying()) {
      if (s instanceof InverseSquareRootAnnealing) {
        continue; // NeMo gives it no floor before max_steps (see the values test)
      }
      for (long step = WARMUP; step <= MAX; step++) {
        assertThat(s.lr(step)).as("%s at %d", s, step).isGreaterThanOrEqualTo(MIN);
      }
    }
  }

  @Test
  void pastMaxStepsEveryWarmupScheduleIsExactlyMinLr() {
    List<LrSchedule> all = new ArrayList<>(decaying());
    all.add(new WarmupPolicy(BASE, WARMUP, MAX, MIN));
    all.add(new WarmupHoldPolicy(BASE, WARMUP, 50, MAX, MIN));
    for (LrSchedule s : all) {
      for (long step : new long[] {MAX + 1, MAX + 2, 10 * MAX, Long.MAX_VALUE}) {
        assertThat(s.lr(step)).as("%s at %d", s, step).isEqualTo(MIN);
      }
    }
  }

  @Test
  void noamRisesThroughWarmupThenFallsTowardsItsFloor() {
    LrSchedule s = new NoamAnnealing(2.0, 256, WARMUP, 1e-4);
    for (long step = 2; step <= WARMUP; step++) {
      assertThat(s.lr(step)).as("step %d", step).isGreaterThan(s.lr(step - 1));
    }
    for (long step = WARMUP + 1; step <= 100 * WARMUP; step++) {
      assertThat(s.lr(step)).as("step %d", step).isLessThan(s.lr(step - 1));
    }
    assertThat(s.lr(Long.MAX_VALUE)).isEqualTo(1e-4);
  }
}
