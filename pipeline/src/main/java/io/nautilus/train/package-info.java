/**
 * The {@code train} job: a barrier stage of W tasks, one DJL trainer each, joined by ring
 * all-reduce ({@link io.nautilus.dist}), with a NeMo-style experiment folder, checkpoints on any
 * Hadoop FileSystem and a driver-owned restart loop.
 */
package io.nautilus.train;
