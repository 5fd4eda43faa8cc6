package io.nautilus.train.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Every schedule against values worked out by hand from NeMo's formulas (the arithmetic is in the
 * comments), at the start and end of warmup, mid-way, at {@code max_steps} and past it.
 */
class LrScheduleValuesTest {

  private static void assertLr(LrSchedule schedule, long step, double expected) {
    assertThat(schedule.lr(step))
        .as("%s at step %d", schedule, step)
        .isCloseTo(expected, Offset.offset(Math.abs(expected) * 1e-12 + 1e-18));
  }

  @Test
  void constantLrIsTheBaseRateAtEveryStep() {
    LrSchedule s = new ConstantLR(0.5);
    assertLr(s, 0, 0.5);
    assertLr(s, 1_000_000_000_000L, 0.5);
  }

  @Test
  void warmupPolicyRisesLinearlyThenHoldsThenDropsToMinLrAfterMaxSteps() {
    LrSchedule s = new WarmupPolicy(1.0, 4, 10, 0.01);
    assertLr(s, 0, 0.2); // (0+1)/(4+1)
    assertLr(s, 2, 0.6); // (2+1)/(4+1)
    assertLr(s, 4, 1.0); // (4+1)/(4+1): warmup ends exactly at the base rate
    assertLr(s, 7, 1.0);
    assertLr(s, 10, 1.0); // step == max_steps is still inside the schedule
    assertLr(s, 11, 0.01); // step > max_steps -> min_lr
    assertLr(s, 1000, 0.01);
  }

  @Test
  void warmupPolicyWithoutWarmupOrEndIsTheBaseRate() {
    assertLr(new WarmupPolicy(1.0, 0, 10, 0.0), 0, 1.0);
    assertLr(new WarmupPolicy(1.0, 4, 0, 0.0), 1_000_000_000L, 1.0); // max_steps unknown
  }

  @Test
  void warmupHoldPolicyHoldsTheBaseRateAfterWarmupUntilMaxSteps() {
    LrSchedule s = new WarmupHoldPolicy(2.0, 3, 4, 20, 0.1);
    assertLr(s, 0, 0.5); // 2 * (0+1)/(3+1)
    assertLr(s, 3, 2.0); // 2 * 4/4
    assertLr(s, 5, 2.0); // hold: 3 <= 5 < 3+4
    assertLr(s, 7, 2.0); // after hold, WarmupHoldPolicy itself stays at base
    assertLr(s, 20, 2.0);
    assertLr(s, 21, 0.1);
  }

  @Test
  void warmupAnnealingFallsOnAStraightLineFromBaseToMinLr() {
    LrSchedule s = new WarmupAnnealing(1.0, 10, 110, 0.1);
    assertLr(s, 0, 0.09090909090909091); // 1/11
    assertLr(s, 10, 1.0); // 11/11
    assertLr(s, 11, 0.991); // p = (11-10)/(110-10) = 0.01; 0.1 + 0.99 * 0.9
    assertLr(s, 60, 0.55); // p = 50/100; 0.1 + 0.5 * 0.9
    assertLr(s, 110, 0.1); // p = 1 -> min_lr
    assertLr(s, 111, 0.1);
  }

  @Test
  void cosineAnnealingFollowsAHalfCosineAfterWarmup() {
    LrSchedule s = new CosineAnnealing(1.0, 10, 0, 110, 0.0);
    assertLr(s, 0, 0.09090909090909091); // 1/11
    assertLr(s, 10, 1.0);
    assertLr(s, 35, 0.8535533905932737); // s=25, T=100: 0.5 * (1 + cos(pi/4)) = 0.5 * 1.7071068
    assertLr(s, 60, 0.5); // 0.5 * (1 + cos(pi/2))
    assertLr(s, 85, 0.14644660940672627); // 0.5 * (1 + cos(3pi/4)) = 0.5 * 0.2928932
    assertLr(s, 110, 0.0); // 0.5 * (1 + cos(pi))
    assertLr(s, 111, 0.0);
  }

  @Test
  void cosineAnnealingScalesTheCosineBetweenBaseAndMinLr() {
    LrSchedule s = new CosineAnnealing(1.0, 10, 0, 110, 0.2);
    assertLr(s, 60, 0.6); // (1 - 0.2) * 0.5 + 0.2
    assertLr(s, 110, 0.2);
    assertLr(s, 200, 0.2);
  }

  @Test
  void cosineAnnealingWithConstantStepsUsesMegatronWarmupAndEndsFlatAtMinLr() {
    // warmup 10, constant 20, max 110 -> the cosine runs over 110 - 10 - 20 = 80 steps.
    LrSchedule s = new CosineAnnealing(1.0, 10, 20, 110, 0.1);
    assertLr(s, 0, 0.0); // Megatron warmup: 1.0 * 0 / 10
    assertLr(s, 5, 0.5); // 1.0 * 5 / 10
    assertLr(s, 10, 1.0);
    assertLr(s, 30, 0.8681980515339464); // r = 20/80: 0.1 + 0.5 * (cos(pi/4) + 1) * 0.9
    assertLr(s, 50, 0.55); // r = 40/80: 0.1 + 0.5 * 1 * 0.9
    assertLr(s, 90, 0.1); // r = 1: end of the cosine
    assertLr(s, 100, 0.1); // the 20 constant steps
    assertLr(s, 110, 0.1);
    assertLr(s, 111, 0.1);
  }

  @Test
  void noamAnnealingMatchesTheConformerReferenceConfig() {
    // conformer_ctc_char: lr 2.0, d_model 256, warmup 10000, min_lr 1e-6; 256^-0.5 = 1/16.
    LrSchedule s = new NoamAnnealing(2.0, 256, 10000, 1e-6);
    assertLr(s, 0, 1.25e-7); // s = max(1, 0) = 1: 2/16 * min(1, 1 * 10000^-1.5 = 1e-6)
    assertLr(s, 1, 1.25e-7); // below min_lr: the floor does not apply during warmup
    assertLr(s, 5000, 6.25e-4); // 2/16 * min(5000^-0.5 = 0.01414, 5000 * 1e-6 = 0.005)
    assertLr(s, 10000, 1.25e-3); // peak: 2/16 * min(0.01, 0.01)
    assertLr(s, 40000, 6.25e-4); // 2/16 * min(40000^-0.5 = 0.005, 0.04)
    assertLr(s, 4_000_000_000_000L, 1e-6); // 2/16 * 5e-7 = 6.25e-8, floored to min_lr
  }

  @Test
  void noamAnnealingWithoutWarmupDecaysFromTheFirstStep() {
    LrSchedule s = new NoamAnnealing(2.0, 256, 0, 0.0);
    assertLr(s, 0, 0.125); // 2/16 * 1^-0.5
    assertLr(s, 4, 0.0625); // 2/16 * 4^-0.5
    assertLr(s, 100, 0.0125); // 2/16 * 100^-0.5
  }

  @Test
  void noamHoldAnnealingWarmsUpHoldsThenDecaysFromThePeak() {
    // warmup 4, hold 5, rate 0.5: decay = 1.0 * max(1, 4^0.5) / max(1, (step - 5)^0.5).
    LrSchedule s = new NoamHoldAnnealing(1.0, 4, 5, 0.5, 100, 0.01);
    assertLr(s, 0, 0.2); // 1/5
    assertLr(s, 4, 1.0);
    assertLr(s, 5, 1.0); // hold: 4 <= 5 < 4+5
    assertLr(s, 8, 1.0);
    assertLr(s, 9, 1.0); // first decay step: 2 / (9-5)^0.5 = 2/2
    assertLr(s, 21, 0.5); // 2 / 16^0.5
    assertLr(s, 69, 0.25); // 2 / 64^0.5
    assertLr(s, 100, 0.20519567041703082); // 2 / 95^0.5
    assertLr(s, 101, 0.01);
  }

  @Test
  void noamHoldAnnealingDecayRateSetsTheExponentAndMinLrIsAFloor() {
    assertLr(new NoamHoldAnnealing(1.0, 4, 5, 1.0, 100, 0.0), 21, 0.25); // 4^1 / 16^1
    LrSchedule s = new NoamHoldAnnealing(1.0, 4, 5, 0.5, 1_000_000, 0.01);
    assertLr(s, 40005, 0.01); // 2 / 40000^0.5 = 0.01 exactly
    assertLr(s, 90005, 0.01); // 2 / 300 = 0.0067, floored
  }

  @Test
  void inverseSquareRootAnnealingDecaysAsTheInverseRootOfTheStep() {
    LrSchedule s = new InverseSquareRootAnnealing(1.0, 3, 100, 0.05);
    assertLr(s, 0, 0.25); // 1/4
    assertLr(s, 3, 1.0);
    assertLr(s, 15, 0.5); // 1 / sqrt(16/4)
    assertLr(s, 63, 0.25); // 1 / sqrt(64/4)
    assertLr(s, 99, 0.2); // 1 / sqrt(100/4)
    assertLr(s, 100, 0.19900743804199783); // 1 / sqrt(101/4) = 2 / sqrt(101)
    assertLr(s, 101, 0.05);
  }

  @Test
  void inverseSquareRootAnnealingMayPassBelowMinLrBeforeMaxStepsAsInNemo() {
    LrSchedule s = new InverseSquareRootAnnealing(1.0, 3, 100, 0.3);
    assertLr(s, 63, 0.25); // below min_lr 0.3: NeMo applies no floor here
    assertLr(s, 101, 0.3);
  }

  @Test
  void polynomialDecayAnnealingRaisesTheRemainingFractionToThePower() {
    LrSchedule s = new PolynomialDecayAnnealing(1.0, 10, 110, 0.1, 2.0, false);
    assertLr(s, 0, 0.09090909090909091); // 1/11
    assertLr(s, 10, 1.0);
    assertLr(s, 11, 0.98209); // p = 0.01: 0.9 * 0.99^2 + 0.1 = 0.9 * 0.9801 + 0.1
    assertLr(s, 60, 0.325); // p = 0.5: 0.9 * 0.25 + 0.1
    assertLr(s, 110, 0.1); // p = 1
    assertLr(s, 111, 0.1);
    LrSchedule linear = new PolynomialDecayAnnealing(1.0, 10, 110, 0.1, 1.0, false);
    assertLr(linear, 35, 0.775); // p = 0.25: 0.9 * 0.75 + 0.1
    assertLr(linear, 60, 0.55);
    LrSchedule root = new PolynomialDecayAnnealing(1.0, 10, 110, 0.1, 0.5, false);
    assertLr(root, 85, 0.55); // p = 0.75: 0.9 * 0.25^0.5 + 0.1
  }

  @Test
  void polynomialDecayAnnealingCycleChangesNothingBecauseNemoEndsAtMaxSteps() {
    LrSchedule plain = new PolynomialDecayAnnealing(1.0, 10, 110, 0.1, 2.0, false);
    LrSchedule cycling = new PolynomialDecayAnnealing(1.0, 10, 110, 0.1, 2.0, true);
    for (long step = 0; step <= 300; step++) {
      assertThat(cycling.lr(step)).as("step %d", step).isEqualTo(plain.lr(step));
    }
  }

  @Test
  void squareAnnealingDecaysWithTheSquareOfTheRemainingFraction() {
    LrSchedule s = new SquareAnnealing(1.0, 10, 110, SquareAnnealing.DEFAULT_MIN_LR);
    assertLr(s, 0, 0.09090909090909091); // 1/11
    assertLr(s, 10, 1.0);
    assertLr(s, 20, 0.81); // ((100 - 10) / 100)^2
    assertLr(s, 60, 0.25); // (50/100)^2
    assertLr(s, 109, 1e-4); // (1/100)^2
    assertLr(s, 110, 1e-5); // 0, floored at the default min_lr
    assertLr(s, 111, 1e-5);
    assertLr(new SquareAnnealing(1.0, 10, 110, 0.3), 60, 0.3); // 0.25 floored at 0.3
  }

  @Test
  void squareRootAnnealingCountsFromStepZeroNotFromTheEndOfWarmup() {
    LrSchedule s = new SquareRootAnnealing(1.0, 10, 100, 0.0);
    assertLr(s, 0, 0.09090909090909091); // 1/11
    assertLr(s, 10, 1.0);
    assertLr(s, 11, 0.9433981132056604); // sqrt((100 - 11) / 100): NeMo's drop after warmup
    assertLr(s, 64, 0.6); // sqrt(36/100)
    assertLr(s, 75, 0.5); // sqrt(25/100)
    assertLr(s, 99, 0.1); // sqrt(1/100)
    assertLr(s, 100, 0.0);
    assertLr(s, 101, 0.0);
    assertLr(new SquareRootAnnealing(1.0, 10, 100, 0.2), 99, 0.2); // 0.1 floored at 0.2
  }

  @Test
  void negativeStepsAreRejected() {
    assertThatThrownBy(() -> new WarmupPolicy(1.0, 4, 10, 0.0).lr(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute a learning rate: step must be >= 0 (0 is the first optimizer step),"
                + " got -1");
  }
}
