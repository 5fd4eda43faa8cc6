package io.nautilus.run;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession a job runs in. Under spark-submit the master and conf come from there;
 * run from the launcher, the default is embedded Spark on all local cores.
 */
public final class SparkSessions {
  public static final String DEFAULT_MASTER = "local[*]";

  private SparkSessions() {}

  /**
   * @param master a master URL, or null to keep what spark-submit set (else {@code local[*]})
   * @param extraConf settings from the job config's {@code spark.conf}
   */
  public static SparkSession create(String appName, String master, Map<String, Object> extraConf) {
    SparkConf conf = new SparkConf();
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster(DEFAULT_MASTER);
    }
    if (!conf.contains("spark.app.name")) {
      conf.setAppName(appName);
    }
    boolean local = conf.get("spark.master").startsWith("local");
    if (local) {
      // The embedded default should not open ports beyond loopback or start a web UI.
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    for (Map.Entry<String, Object> e : extraConf.entrySet()) {
      conf.set(e.getKey(), String.valueOf(e.getValue()));
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    spark.sparkContext().setLogLevel(System.getProperty("nautilus.spark.log.level", "WARN"));
    return spark;
  }
}
