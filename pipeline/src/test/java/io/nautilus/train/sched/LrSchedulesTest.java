package io.nautilus.train.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LrSchedulesTest {

  private static Map<String, Object> args(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  private static void assertRejected(
      String name, double lr, Map<String, Object> args, long maxSteps, String message) {
    assertThatThrownBy(() -> LrSchedules.create(name, lr, args, maxSteps))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void everyNameBuildsTheScheduleOfThatName() {
    Map<String, Object> noam = args("d_model", 256, "warmup_steps", 10);
    for (String name : LrSchedules.NAMES) {
      Map<String, Object> a =
          switch (name) {
            case "NoamAnnealing" -> noam;
            case "NoamHoldAnnealing" -> args("warmup_steps", 10);
            default -> Map.of();
          };
      assertThat(LrSchedules.create(name, 0.1, a, 100).name()).isEqualTo(name);
    }
    assertThat(LrSchedules.NAMES).hasSize(11);
  }

  @Test
  void buildsTheConformerReferenceNoamScheduleFromItsSchedSection() {
    LrSchedule s =
        LrSchedules.create(
            "NoamAnnealing",
            2.0,
            args("d_model", 256, "warmup_steps", 10000, "warmup_ratio", null, "min_lr", 1e-6),
            200_000);
    assertThat(s).isEqualTo(new NoamAnnealing(2.0, 256, 10000, 1e-6));
  }

  @Test
  void warmupRatioTruncatesLikePythonInt() {
    // 0.29 * 100 is 28.999999999999996 in binary floating point; int() gives 28, not 29.
    LrSchedule s = LrSchedules.create("CosineAnnealing", 1.0, args("warmup_ratio", 0.29), 100);
    assertThat(s).isEqualTo(new CosineAnnealing(1.0, 28, 0, 100, 0.0));
    assertThat(s.lr(0)).isCloseTo(1.0 / 29, within(1e-15)); // (0+1)/(28+1)
    assertThat(s.lr(28)).isEqualTo(1.0);
  }

  @Test
  void holdAndConstantRatiosAreFractionsOfMaxSteps() {
    assertThat(
            LrSchedules.create(
                "WarmupHoldPolicy", 1.0, args("warmup_steps", 5, "hold_ratio", 0.25), 200))
        .isEqualTo(new WarmupHoldPolicy(1.0, 5, 50, 200, 0.0));
    assertThat(
            LrSchedules.create(
                "CosineAnnealing",
                1.0,
                args("warmup_ratio", 0.1, "constant_ratio", 0.2, "min_lr", 0.1),
                110))
        .isEqualTo(new CosineAnnealing(1.0, 11, 22, 110, 0.1));
  }

  @Test
  void optionalKeysTakeNemoDefaults() {
    assertThat(LrSchedules.create("SquareAnnealing", 1.0, null, 100))
        .isEqualTo(new SquareAnnealing(1.0, 0, 100, 1e-5));
    assertThat(LrSchedules.create("PolynomialDecayAnnealing", 1.0, Map.of(), 100))
        .isEqualTo(new PolynomialDecayAnnealing(1.0, 0, 100, 0.0, 1.0, false));
    assertThat(LrSchedules.create("NoamHoldAnnealing", 1.0, args("warmup_steps", 4), 100))
        .isEqualTo(new NoamHoldAnnealing(1.0, 4, 0, 0.5, 100, 0.0));
  }

  @Test
  void acceptsNumbersAsYamlWritesThem() {
    // YAML 1.1 reads 1e-6 (no dot) as a string; whole floats such as 100.0 count as steps.
    LrSchedule s =
        LrSchedules.create(
            "PolynomialDecayAnnealing",
            1.0,
            args("min_lr", "1e-6", "warmup_steps", 100.0, "power", 2, "cycle", "true"),
            1000);
    assertThat(s).isEqualTo(new PolynomialDecayAnnealing(1.0, 100, 1000, 1e-6, 2.0, true));
  }

  @Test
  void ignoresTheBookkeepingKeysNemoAddsToSched() {
    LrSchedule s =
        LrSchedules.create(
            "WarmupAnnealing",
            1.0,
            args(
                "name",
                "WarmupAnnealing",
                "monitor",
                "val_loss",
                "reduce_on_plateau",
                false,
                "t_max_epochs",
                10,
                "last_epoch",
                -1),
            100);
    assertThat(s).isEqualTo(new WarmupAnnealing(1.0, 0, 100, 0.0));
  }

  @Test
  void maxStepsInSchedReplacesTheRunsMaxSteps() {
    LrSchedule s = LrSchedules.create("WarmupAnnealing", 1.0, args("max_steps", 200), 100);
    assertThat(s.lr(150)).isCloseTo(0.25, within(1e-15)); // 1 - 150/200
  }

  @Test
  void rejectsWarmupStepsAndRatioTogether() {
    assertRejected(
        "CosineAnnealing",
        1.0,
        args("warmup_steps", 100, "warmup_ratio", 0.1),
        1000,
        "Cannot create CosineAnnealing: set warmup_steps or warmup_ratio, not both (got 100 and"
            + " 0.1)");
    assertRejected(
        "WarmupHoldPolicy",
        1.0,
        args("hold_steps", 5, "hold_ratio", 0.5),
        1000,
        "Cannot create WarmupHoldPolicy: set hold_steps or hold_ratio, not both (got 5 and 0.5)");
  }

  @Test
  void rejectsCosineWithABaseRateBelowMinLr() {
    assertRejected(
        "CosineAnnealing",
        0.001,
        args("min_lr", 0.01),
        1000,
        "Cannot create CosineAnnealing: the base lr 0.001 is below min_lr 0.01; lower min_lr or"
            + " raise optim.lr");
  }

  @Test
  void rejectsNoamWithoutDModel() {
    assertRejected(
        "NoamAnnealing",
        2.0,
        args("warmup_steps", 10000),
        1000,
        "Cannot create NoamAnnealing: d_model is required (the model width, e.g. 256 for"
            + " conformer_ctc_char)");
  }

  @Test
  void rejectsNoamHoldWithoutWarmup() {
    assertRejected(
        "NoamHoldAnnealing",
        1.0,
        args("hold_steps", 10),
        1000,
        "Cannot create NoamHoldAnnealing: it needs warmup (warmup_steps or warmup_ratio giving at"
            + " least 1 step), got warmup_steps 0");
  }

  @Test
  void rejectsAKeyTheScheduleDoesNotTakeAndListsTheOnesItDoes() {
    assertRejected(
        "CosineAnnealing",
        1.0,
        args("hold_steps", 10),
        1000,
        "Cannot create CosineAnnealing: unknown key 'hold_steps'; it takes constant_ratio,"
            + " constant_steps, last_epoch, max_steps, min_lr, warmup_ratio, warmup_steps");
  }

  @Test
  void rejectsUnknownNamesAndSuggestsTheRightSpelling() {
    assertRejected(
        "cosineannealing",
        1.0,
        Map.of(),
        1000,
        "Cannot create an LR schedule: unknown sched.name 'cosineannealing'. Did you mean"
            + " CosineAnnealing? Known names: ConstantLR, CosineAnnealing,"
            + " InverseSquareRootAnnealing, NoamAnnealing, NoamHoldAnnealing,"
            + " PolynomialDecayAnnealing, SquareAnnealing, SquareRootAnnealing, WarmupAnnealing,"
            + " WarmupHoldPolicy, WarmupPolicy");
    assertThatThrownBy(() -> LrSchedules.create(null, 1.0, Map.of(), 1000))
        .hasMessage("Cannot create an LR schedule: sched.name is missing");
  }

  @Test
  void rejectsSchedulesThatNeedMaxStepsWhenItIsUnknown() {
    assertRejected(
        "CosineAnnealing",
        1.0,
        Map.of(),
        -1,
        "Cannot create CosineAnnealing: max_steps must be > 0, got -1; set trainer.max_steps, or"
            + " trainer.max_epochs with a known number of steps per epoch");
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("warmup_ratio", 0.1),
        -1,
        "Cannot create WarmupPolicy: warmup_ratio needs max_steps > 0, got -1; set"
            + " trainer.max_steps or use warmup_steps");
    assertThat(LrSchedules.create("WarmupPolicy", 1.0, args("warmup_steps", 3), -1).lr(10_000))
        .isEqualTo(1.0);
  }

  @Test
  void rejectsMinusOneMaxStepsInSchedInsteadOfDroppingTheSchedule() {
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("max_steps", -1),
        1000,
        "Cannot create WarmupPolicy: max_steps in sched must be > 0, got -1 (NeMo would silently"
            + " train without the schedule); remove it to use the run's max_steps");
  }

  @Test
  void rejectsValuesOfTheWrongType() {
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("warmup_steps", 10.5),
        1000,
        "Cannot create WarmupPolicy: warmup_steps must be a whole number, got 10.5");
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("min_lr", "tiny"),
        1000,
        "Cannot create WarmupPolicy: min_lr must be a number, got 'tiny'");
    assertRejected(
        "PolynomialDecayAnnealing",
        1.0,
        args("cycle", 3),
        1000,
        "Cannot create PolynomialDecayAnnealing: cycle must be true or false, got 3");
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("warmup_ratio", 1.5),
        1000,
        "Cannot create WarmupPolicy: warmup_ratio must be between 0 and 1, got 1.5");
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("warmup_steps", -5),
        1000,
        "Cannot create WarmupPolicy: warmup_steps must be >= 0, got -5");
    assertRejected(
        "WarmupPolicy",
        1.0,
        args("last_epoch", -2),
        1000,
        "Cannot create WarmupPolicy: last_epoch must be >= -1, got -2");
  }

  @Test
  void rejectsCosineConstantStepsThatLeaveNothingToDecay() {
    assertRejected(
        "CosineAnnealing",
        1.0,
        args("warmup_steps", 10, "constant_steps", 90),
        100,
        "Cannot create CosineAnnealing: warmup_steps 10 + constant_steps 90 leave no step to"
            + " decay in max_steps 100");
    assertRejected(
        "CosineAnnealing",
        0.1,
        args("constant_steps", 10, "min_lr", 0.1),
        100,
        "Cannot create CosineAnnealing: with constant_steps the base lr must be above min_lr,"
            + " both are 0.1");
  }

  @Test
  void rejectsNegativeOrNonFiniteRates() {
    assertRejected(
        "ConstantLR",
        Double.NaN,
        Map.of(),
        100,
        "Cannot create ConstantLR: lr must be a finite number >= 0, got NaN");
    assertRejected(
        "WarmupAnnealing",
        1.0,
        args("min_lr", -0.1),
        100,
        "Cannot create WarmupAnnealing: min_lr must be a finite number >= 0, got -0.1");
  }

  @Test
  void maxStepsIsTrainerMaxStepsWhenPositive() {
    assertThat(LrSchedules.maxSteps(500, 100, 3, 5)).isEqualTo(500);
  }

  @Test
  void maxStepsOtherwiseCountsOptimizerUpdatesOverAllEpochs() {
    assertThat(LrSchedules.maxSteps(-1, 100, 3, 5)).isEqualTo(170); // ceil(100/3) = 34, * 5
    assertThat(LrSchedules.maxSteps(0, 99, 3, 2)).isEqualTo(66); // 99/3 = 33, * 2
    assertThat(LrSchedules.maxSteps(-1, 7, 1, 1)).isEqualTo(7);
  }

  @Test
  void maxStepsNeedsAStepOrEpochLimit() {
    assertThatThrownBy(() -> LrSchedules.maxSteps(-1, 100, 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute max_steps: trainer.max_steps is -1 and trainer.max_epochs is -1; set"
                + " one of them > 0");
    assertThatThrownBy(() -> LrSchedules.maxSteps(-1, 100, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot compute max_steps: trainer.accumulate_grad_batches must be >= 1, got 0");
  }
}
