package io.nautilus.prepare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One validation rule as Spark SQL columns: a condition that marks a line bad, the reason, and a
 * message built from the line's own values.
 */
record Check(Column failed, RejectReason reason, Column message) {
  static final String REASON = "reason";
  static final String MESSAGE = "message";

  static Check of(Column failed, RejectReason reason, Column message) {
    return new Check(failed, reason, message);
  }

  /**
   * Sets {@code reason}/{@code message} from the first failing check, on rows that have no reason
   * yet. The chain is one CASE WHEN expression, so a row pays only for the checks it reaches.
   */
  static Dataset<Row> applyAll(Dataset<Row> df, List<Check> checks) {
    if (checks.isEmpty()) {
      return df;
    }
    Column reason = null;
    Column message = null;
    for (Check c : checks) {
      reason =
          reason == null
              ? when(c.failed, lit(c.reason.name()))
              : reason.when(c.failed, lit(c.reason.name()));
      message = message == null ? when(c.failed, c.message) : message.when(c.failed, c.message);
    }
    Column open = col(REASON).isNull();
    return df.withColumn(MESSAGE, when(open, message).otherwise(col(MESSAGE)))
        .withColumn(REASON, when(open, reason).otherwise(col(REASON)));
  }
}
