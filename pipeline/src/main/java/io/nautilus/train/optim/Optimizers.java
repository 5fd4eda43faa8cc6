package io.nautilus.train.optim;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Builds {@link Optimizer}s from NeMo {@code model.optim} settings. */
public final class Optimizers {
  /** The optimizer names {@link #create} understands, as NeMo spells them. */
  public static final SortedSet<String> NAMES =
      Collections.unmodifiableSortedSet(new TreeSet<>(Set.of("sgd", "adam", "adamw", "novograd")));

  /** torch 2's default for every optimizer here, and NeMo's for Novograd. */
  static final double DEFAULT_LR = 1e-3;

  /** Keys of {@code model.optim} that belong to the trainer, not the optimizer. */
  private static final Set<String> NOT_OPTIMIZER_ARGS = Set.of("name", "sched");

  private Optimizers() {}

  /**
   * Builds the optimizer NeMo would build for {@code model.optim}.
   *
   * <p>Arguments, all optional (a null value meaning absent), with torch's and NeMo's defaults:
   *
   * <ul>
   *   <li>{@code sgd}: {@code lr} 1e-3, {@code momentum} 0, {@code dampening} 0, {@code
   *       weight_decay} 0, {@code nesterov} false (needs momentum &gt; 0 and dampening 0)
   *   <li>{@code adam}, {@code adamw}: {@code lr} 1e-3, {@code betas} [0.9, 0.999], {@code eps}
   *       1e-8, {@code weight_decay} 0 ({@code adamw}: 0.01), {@code amsgrad} false
   *   <li>{@code novograd}: {@code lr} 1e-3, {@code betas} [0.95, 0.98], {@code eps} 1e-8, {@code
   *       weight_decay} 0, {@code grad_averaging} false, {@code amsgrad} false
   * </ul>
   *
   * <p>Numbers may be strings ({@code "1e-3"}, as YAML 1.1 reads it). {@code name} and {@code
   * sched} are ignored, so the whole section may be passed; any other key is an error, as an
   * unexpected keyword argument is in torch.
   *
   * @param name {@code sgd}, {@code adam}, {@code adamw} or {@code novograd}
   * @param args the {@code model.optim} keys; may be null for none
   * @throws IllegalArgumentException for an unknown name or argument, or a bad value, with a
   *     message "Cannot create optimizer &lt;name&gt;: ..." naming it
   */
  public static Optimizer create(String name, Map<String, ?> args) {
    OptimArgs values = new OptimArgs(name, args);
    return switch (String.valueOf(name)) {
      case "sgd" -> sgd(values);
      case "adam" -> adam(values, false);
      case "adamw" -> adam(values, true);
      case "novograd" -> novograd(values);
      default ->
          throw values.error("unknown optimizer; valid names are " + String.join(", ", NAMES));
    };
  }

  private static Optimizer sgd(OptimArgs args) {
    args.rejectUnknown(
        Set.of("lr", "momentum", "dampening", "weight_decay", "nesterov"), NOT_OPTIMIZER_ARGS);
    double momentum = args.nonNegative("momentum", 0);
    double dampening = args.decimal("dampening", 0);
    boolean nesterov = args.bool("nesterov", false);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw args.error(
          "nesterov needs momentum > 0 and dampening 0, got momentum "
              + momentum
              + " and dampening "
              + dampening);
    }
    return new Sgd(
        args.nonNegative("lr", DEFAULT_LR),
        momentum,
        dampening,
        args.nonNegative("weight_decay", 0),
        nesterov);
  }

  private static Optimizer adam(OptimArgs args, boolean decoupled) {
    args.rejectUnknown(Set.of("lr", "betas", "eps", "weight_decay", "amsgrad"), NOT_OPTIMIZER_ARGS);
    double[] betas = args.betas(0.9, 0.999);
    return new Adam(
        args.nonNegative("lr", DEFAULT_LR),
        betas[0],
        betas[1],
        args.nonNegative("eps", 1e-8),
        args.nonNegative("weight_decay", decoupled ? 1e-2 : 0),
        decoupled,
        args.bool("amsgrad", false));
  }

  private static Optimizer novograd(OptimArgs args) {
    args.rejectUnknown(
        Set.of("lr", "betas", "eps", "weight_decay", "grad_averaging", "amsgrad"),
        NOT_OPTIMIZER_ARGS);
    double[] betas = args.betas(0.95, 0.98);
    return new Novograd(
        args.nonNegative("lr", DEFAULT_LR),
        betas[0],
        betas[1],
        args.nonNegative("eps", 1e-8),
        args.nonNegative("weight_decay", 0),
        args.bool("grad_averaging", false),
        args.bool("amsgrad", false));
  }
}
