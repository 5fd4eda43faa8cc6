package io.nautilus.train.metrics;

import java.io.IOException;

/** A sink for scalar training metrics, such as the loss and learning rate at each step. */
public interface MetricsWriter extends AutoCloseable {
  /**
   * Records one value of a metric.
   *
   * @param tag the metric's name, e.g. {@code train_loss} or {@code lr}; not empty
   * @param value the value; NaN and infinities are recorded as they are
   * @param step the global step the value belongs to
   * @throws IllegalStateException if the writer is closed
   */
  void scalar(String tag, float value, long step) throws IOException;

  /** Pushes everything recorded so far to the underlying stream and flushes it. */
  void flush() throws IOException;

  /** Flushes and closes the underlying stream; closing twice does nothing. */
  @Override
  void close() throws IOException;
}
