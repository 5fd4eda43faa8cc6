/**
 * Training metrics on disk: TensorBoard event files ({@link
 * io.nautilus.train.metrics.TensorBoardWriter}) as NeMo's {@code exp_manager} writes them, and a
 * plain CSV file ({@link io.nautilus.train.metrics.CsvMetricsWriter}) for scripts.
 *
 * <p>Both write to a plain {@link java.io.OutputStream}, so the caller may hand in a local file or
 * a Hadoop {@code FileSystem} stream; each also has a factory for a local log directory. Both only
 * ever append, which append-only file systems allow. Neither pulls in a protobuf or TensorFlow
 * library: the event records are encoded here, byte for byte as TensorBoard's own writer produces
 * them.
 *
 * <p>This package imports no Spark and no DJL.
 */
package io.nautilus.train.metrics;
