/**
 * Learning-rate schedules with the formulas of NeMo's {@code nemo.core.optim.lr_scheduler}, so a
 * NeMo {@code optim.sched} section trains with the same learning rate at every step.
 *
 * <p>A schedule is a pure function of the optimizer step ({@link
 * io.nautilus.train.sched.LrSchedule#lr(long)}): step 0 is the first optimizer update, exactly the
 * {@code last_epoch} value NeMo's PyTorch schedulers see when Lightning steps them once per update.
 * With gradient accumulation the step counts updates, not batches. Because the function holds no
 * state, a resumed run gets the right rate by passing its restored global step.
 *
 * <p>Entry points: {@link io.nautilus.train.sched.LrSchedules#create} builds a schedule from the
 * {@code sched} keys of a config, {@link io.nautilus.train.sched.LrSchedules#maxSteps} computes a
 * run's {@code max_steps} the way NeMo does. Every schedule is also a record that can be built
 * directly. Bad settings fail with an {@link IllegalArgumentException} that names the NeMo key.
 *
 * <p>This package imports no Spark and no DJL.
 */
package io.nautilus.train.sched;
