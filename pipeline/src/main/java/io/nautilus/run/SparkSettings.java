package io.nautilus.run;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigSchema;
import io.nautilus.config.ValueType;
import java.util.Map;

/** The {@code spark.*} part every job config shares. */
public final class SparkSettings {
  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional(
              "spark.master",
              ValueType.STRING,
              null,
              "Spark master URL; null keeps what spark-submit set, else local[*]")
          .optional(
              "spark.partitions",
              ValueType.INT,
              0,
              "tasks for the heavy stages; 0 = twice the default parallelism")
          .openMap("spark.conf", "extra Spark settings, e.g. spark.executor.memory: 4g")
          .build();

  private SparkSettings() {}

  public static SparkSessionSpec from(Config c, String appName) {
    return new SparkSessionSpec(
        appName, c.getString("spark.master"), c.getInt("spark.partitions"), c.getMap("spark.conf"));
  }

  /** What to start a session with. */
  public record SparkSessionSpec(
      String appName, String master, int partitions, Map<String, Object> conf) {
    public org.apache.spark.sql.SparkSession start() {
      return SparkSessions.create(appName, master, conf);
    }
  }
}
