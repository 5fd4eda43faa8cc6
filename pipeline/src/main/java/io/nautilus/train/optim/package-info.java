/**
 * Optimizers with the update rules of {@code torch.optim} ({@code sgd}, {@code adam}, {@code
 * adamw}) and NeMo's {@code novograd}, plus the weight EMA of NeMo's {@code exp_manager.ema} and
 * global-norm gradient clipping.
 *
 * <p>DJL's own optimizers keep their state private and have no Novograd, so a checkpoint could not
 * hold them. Ours expose every slot through {@link io.nautilus.train.optim.OptimizerState}, which
 * restores a run bit for bit.
 *
 * <p>Updates write into the weights in place through a detached view ({@code stopGradient}): the
 * PyTorch engine turns grad mode off only on the thread that loaded it, so on any other thread (a
 * Spark task, say) an in-place write to a leaf that requires a gradient would be refused. All
 * arithmetic stays on the arrays' device; only {@code saveState} and {@link
 * io.nautilus.train.optim.Ema#weights} copy to the host. Temporaries live in a sub-manager per
 * parameter and step, so memory does not grow over a run.
 *
 * <p>Entry points: {@link io.nautilus.train.optim.Optimizers#create} from a NeMo {@code
 * model.optim} section, {@link io.nautilus.train.optim.Ema}, {@link
 * io.nautilus.train.optim.GradClip}. This package imports no Spark.
 */
package io.nautilus.train.optim;
