package io.nautilus.train.sched;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Builds {@link LrSchedule}s from NeMo {@code optim.sched} settings. */
public final class LrSchedules {
  /** The schedule names {@link #create} understands, as NeMo spells them. */
  public static final SortedSet<String> NAMES =
      Collections.unmodifiableSortedSet(
          new TreeSet<>(
              Set.of(
                  "ConstantLR",
                  "CosineAnnealing",
                  "InverseSquareRootAnnealing",
                  "NoamAnnealing",
                  "NoamHoldAnnealing",
                  "PolynomialDecayAnnealing",
                  "SquareAnnealing",
                  "SquareRootAnnealing",
                  "WarmupAnnealing",
                  "WarmupHoldPolicy",
                  "WarmupPolicy")));

  private static final String MAX_STEPS = "max_steps";
  private static final String LAST_EPOCH = "last_epoch";
  private static final String MIN_LR = "min_lr";
  private static final String WARMUP_STEPS = "warmup_steps";
  private static final String WARMUP_RATIO = "warmup_ratio";
  private static final String HOLD_STEPS = "hold_steps";
  private static final String HOLD_RATIO = "hold_ratio";
  private static final String CONSTANT_STEPS = "constant_steps";
  private static final String CONSTANT_RATIO = "constant_ratio";

  /**
   * Keys NeMo's model code puts into {@code sched} for its own use and removes before building the
   * scheduler; a config copied from NeMo may carry them.
   */
  private static final Set<String> BOOKKEEPING =
      Set.of(
          "name",
          "monitor",
          "reduce_on_plateau",
          "iters_per_batch",
          "t_max_epochs",
          "t_accumulate_grad_batches",
          "t_limit_train_batches",
          "t_num_workers");

  private LrSchedules() {}

  /**
   * Builds the schedule NeMo would build for {@code optim.sched}.
   *
   * <p>Keys, all optional, a null value meaning absent: {@code warmup_steps} or {@code
   * warmup_ratio} (never both; a ratio becomes {@code (long) (ratio * max_steps)}), {@code
   * hold_steps} or {@code hold_ratio} (hold schedules), {@code constant_steps} or {@code
   * constant_ratio} ({@code CosineAnnealing}), {@code min_lr} (default 0, {@code 1e-5} for {@code
   * SquareAnnealing}), {@code d_model} (required by {@code NoamAnnealing}), {@code decay_rate}
   * ({@code NoamHoldAnnealing}, default 0.5), {@code power} and {@code cycle} ({@code
   * PolynomialDecayAnnealing}, default 1.0 and false), {@code max_steps} and {@code last_epoch}.
   * The bookkeeping keys NeMo's model code adds ({@code name}, {@code monitor}, {@code
   * reduce_on_plateau}, {@code iters_per_batch}, {@code t_*}) are ignored; any other key is an
   * error, as an unexpected keyword argument is in NeMo.
   *
   * <p>{@code max_steps} in {@code args}, when set, replaces {@code maxSteps}, as NeMo reads {@code
   * sched.max_steps} before it falls back to the epoch-based count; it must then be positive (NeMo
   * silently drops the whole schedule for -1). {@code last_epoch} is accepted and ignored: {@link
   * LrSchedule#lr} takes the absolute optimizer step, so a resumed run passes its restored step.
   *
   * @param name NeMo's schedule name, e.g. {@code CosineAnnealing}; see {@link #NAMES}
   * @param baseLr the optimizer's {@code lr}
   * @param args the {@code sched} keys; may be null for none
   * @param maxSteps the run's optimizer steps, from {@link #maxSteps}; 0 or less when unknown,
   *     which only {@code ConstantLR}, {@code WarmupPolicy}, {@code WarmupHoldPolicy} and {@code
   *     NoamAnnealing} without ratios accept
   * @throws IllegalArgumentException naming the schedule and the key, for an unknown name, an
   *     unknown key, a value of the wrong type or a setting NeMo rejects
   */
  public static LrSchedule create(String name, double baseLr, Map<String, ?> args, long maxSteps) {
    if (name == null || !NAMES.contains(name)) {
      throw unknownName(name);
    }
    SchedArgs a = new SchedArgs(name, args == null ? Map.of() : args);
    long max = resolveMaxSteps(a, maxSteps);
    Long lastEpoch = a.wholeNumber(LAST_EPOCH);
    if (lastEpoch != null && lastEpoch < -1) {
      throw new IllegalArgumentException(
          "Cannot create " + name + ": last_epoch must be >= -1, got " + lastEpoch);
    }
    return switch (name) {
      case "ConstantLR" -> {
        a.rejectUnknown(Set.of(MAX_STEPS, LAST_EPOCH), BOOKKEEPING);
        yield new ConstantLR(baseLr);
      }
      case "WarmupPolicy" -> {
        a.rejectUnknown(keys(), BOOKKEEPING);
        yield new WarmupPolicy(baseLr, warmup(a, max), max, minLr(a, 0.0));
      }
      case "WarmupHoldPolicy" -> {
        a.rejectUnknown(keys(HOLD_STEPS, HOLD_RATIO), BOOKKEEPING);
        yield new WarmupHoldPolicy(baseLr, warmup(a, max), hold(a, max), max, minLr(a, 0.0));
      }
      case "WarmupAnnealing" -> {
        a.rejectUnknown(keys(), BOOKKEEPING);
        yield new WarmupAnnealing(baseLr, warmup(a, max), max, minLr(a, 0.0));
      }
      case "InverseSquareRootAnnealing" -> {
        a.rejectUnknown(keys(), BOOKKEEPING);
        yield new InverseSquareRootAnnealing(baseLr, warmup(a, max), max, minLr(a, 0.0));
      }
      case "SquareAnnealing" -> {
        a.rejectUnknown(keys(), BOOKKEEPING);
        yield new SquareAnnealing(
            baseLr, warmup(a, max), max, minLr(a, SquareAnnealing.DEFAULT_MIN_LR));
      }
      case "SquareRootAnnealing" -> {
        a.rejectUnknown(keys(), BOOKKEEPING);
        yield new SquareRootAnnealing(baseLr, warmup(a, max), max, minLr(a, 0.0));
      }
      case "CosineAnnealing" -> {
        a.rejectUnknown(keys(CONSTANT_STEPS, CONSTANT_RATIO), BOOKKEEPING);
        long constant = stepsOrRatio(a, CONSTANT_STEPS, CONSTANT_RATIO, max);
        yield new CosineAnnealing(baseLr, warmup(a, max), constant, max, minLr(a, 0.0));
      }
      case "NoamAnnealing" -> {
        a.rejectUnknown(keys("d_model"), BOOKKEEPING);
        Long dModel = a.wholeNumber("d_model");
        if (dModel == null) {
          throw new IllegalArgumentException(
              "Cannot create NoamAnnealing: d_model is required (the model width, e.g. 256 for"
                  + " conformer_ctc_char)");
        }
        yield new NoamAnnealing(baseLr, dModel, warmup(a, max), minLr(a, 0.0));
      }
      case "NoamHoldAnnealing" -> {
        a.rejectUnknown(keys(HOLD_STEPS, HOLD_RATIO, "decay_rate"), BOOKKEEPING);
        Double decayRate = a.decimal("decay_rate");
        yield new NoamHoldAnnealing(
            baseLr,
            warmup(a, max),
            hold(a, max),
            decayRate == null ? NoamHoldAnnealing.DEFAULT_DECAY_RATE : decayRate,
            max,
            minLr(a, 0.0));
      }
      case "PolynomialDecayAnnealing" -> {
        a.rejectUnknown(keys("power", "cycle"), BOOKKEEPING);
        Double power = a.decimal("power");
        Boolean cycle = a.bool("cycle");
        yield new PolynomialDecayAnnealing(
            baseLr,
            warmup(a, max),
            max,
            minLr(a, 0.0),
            power == null ? PolynomialDecayAnnealing.DEFAULT_POWER : power,
            cycle != null && cycle);
      }
      default -> throw new IllegalStateException("Name listed but not built: " + name);
    };
  }

  /**
   * A run's optimizer steps as NeMo counts them for its schedules: {@code trainer.max_steps} when
   * it is positive, otherwise {@code ceil(stepsPerEpoch / accumulateGradBatches) * maxEpochs}.
   *
   * @param trainerMaxSteps {@code trainer.max_steps}; -1 (Lightning's default) or 0 when unset
   * @param stepsPerEpoch batches one rank reads per epoch, after {@code limit_train_batches}
   * @param accumulateGradBatches {@code trainer.accumulate_grad_batches}, at least 1
   * @param maxEpochs {@code trainer.max_epochs}; used only when {@code trainerMaxSteps} is unset
   * @throws IllegalArgumentException if neither {@code trainerMaxSteps} nor {@code maxEpochs} is
   *     positive, or an argument is out of range
   */
  public static long maxSteps(
      long trainerMaxSteps, long stepsPerEpoch, long accumulateGradBatches, long maxEpochs) {
    if (trainerMaxSteps > 0) {
      return trainerMaxSteps;
    }
    if (maxEpochs <= 0) {
      throw new IllegalArgumentException(
          "Cannot compute max_steps: trainer.max_steps is "
              + trainerMaxSteps
              + " and trainer.max_epochs is "
              + maxEpochs
              + "; set one of them > 0");
    }
    if (accumulateGradBatches < 1) {
      throw new IllegalArgumentException(
          "Cannot compute max_steps: trainer.accumulate_grad_batches must be >= 1, got "
              + accumulateGradBatches);
    }
    if (stepsPerEpoch < 0) {
      throw new IllegalArgumentException(
          "Cannot compute max_steps: steps per epoch must be >= 0, got " + stepsPerEpoch);
    }
    long updatesPerEpoch = (stepsPerEpoch + accumulateGradBatches - 1) / accumulateGradBatches;
    return Math.multiplyExact(updatesPerEpoch, maxEpochs);
  }

  private static long resolveMaxSteps(SchedArgs a, long maxSteps) {
    Long fromArgs = a.wholeNumber(MAX_STEPS);
    if (fromArgs == null) {
      return maxSteps;
    }
    if (fromArgs <= 0) {
      throw new IllegalArgumentException(
          "Cannot create "
              + a.schedule()
              + ": max_steps in sched must be > 0, got "
              + fromArgs
              + " (NeMo would silently train without the schedule); remove it to use the run's"
              + " max_steps");
    }
    return fromArgs;
  }

  private static long warmup(SchedArgs a, long maxSteps) {
    return stepsOrRatio(a, WARMUP_STEPS, WARMUP_RATIO, maxSteps);
  }

  private static long hold(SchedArgs a, long maxSteps) {
    return stepsOrRatio(a, HOLD_STEPS, HOLD_RATIO, maxSteps);
  }

  private static long stepsOrRatio(SchedArgs a, String stepsKey, String ratioKey, long maxSteps) {
    Long steps = a.wholeNumber(stepsKey);
    Double ratio = a.decimal(ratioKey);
    if (steps != null && ratio != null) {
      throw new IllegalArgumentException(
          "Cannot create "
              + a.schedule()
              + ": set "
              + stepsKey
              + " or "
              + ratioKey
              + ", not both (got "
              + steps
              + " and "
              + ratio
              + ")");
    }
    if (steps != null) {
      Phases.checkSteps(a.schedule(), stepsKey, steps);
      return steps;
    }
    if (ratio == null) {
      return 0;
    }
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException(
          "Cannot create "
              + a.schedule()
              + ": "
              + ratioKey
              + " must be between 0 and 1, got "
              + ratio);
    }
    if (maxSteps <= 0) {
      throw new IllegalArgumentException(
          "Cannot create "
              + a.schedule()
              + ": "
              + ratioKey
              + " needs max_steps > 0, got "
              + maxSteps
              + "; set trainer.max_steps or use "
              + stepsKey);
    }
    // Python's int() truncates, as the cast does for these non-negative values.
    return (long) (ratio * maxSteps);
  }

  private static double minLr(SchedArgs a, double defaultValue) {
    Double value = a.decimal(MIN_LR);
    return value == null ? defaultValue : value;
  }

  private static Set<String> keys(String... extra) {
    Set<String> keys =
        new TreeSet<>(Set.of(MAX_STEPS, LAST_EPOCH, MIN_LR, WARMUP_STEPS, WARMUP_RATIO));
    keys.addAll(Set.of(extra));
    return keys;
  }

  private static IllegalArgumentException unknownName(String name) {
    if (name == null) {
      return new IllegalArgumentException("Cannot create an LR schedule: sched.name is missing");
    }
    String hint = "";
    for (String known : NAMES) {
      if (known.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        hint = " Did you mean " + known + "?";
      }
    }
    return new IllegalArgumentException(
        "Cannot create an LR schedule: unknown sched.name '"
            + name
            + "'."
            + hint
            + " Known names: "
            + String.join(", ", NAMES));
  }
}
