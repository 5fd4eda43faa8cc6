/**
 * Collectives for data-parallel training: a TCP ring of {@code W} ranks ({@link ProcessGroup}) with
 * all-reduce, broadcast, all-gather, barrier and scalar reductions, and {@link GradientBuckets},
 * which packs gradients into fixed-order buckets for the all-reduce.
 *
 * <p>Pure Java NIO: no Spark, no DJL. A Spark barrier stage does the rendezvous (each task
 * publishes the {@code host:port} of a listener it opened with {@link ProcessGroup#listen}) and
 * hands the gathered list to {@link ProcessGroup#connect}.
 *
 * <p>Results are bit-identical on every rank and reproducible for a fixed world size and length:
 * every floating-point sum is done in one documented order (see {@link
 * ProcessGroup#allReduceSum(float[])}). Every wait is bounded; a peer that dies, hangs or calls a
 * different collective fails the operation on every rank with a {@link CollectiveException} that
 * names the rank at fault.
 */
package io.nautilus.dist;
