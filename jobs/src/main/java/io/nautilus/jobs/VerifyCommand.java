package io.nautilus.jobs;

import io.nautilus.io.Storage;
import io.nautilus.run.UsageException;
import io.nautilus.shard.job.ShardVerifier;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nautilus verify}: check a shard set against its manifests and index. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a shard set written by 'shard': committed state, counts, member names, md5 and sizes,",
      "durations and sample rate. Hostile tar members are reported, never extracted.",
      "On S3 a set counts only with its commit marker (_NAUTILUS_COMMITTED), checked file by file.",
      "Exits 0 when the set is sound, 1 with the list of problems otherwise.",
      "",
      "Example:",
      "  ./nautilus verify --properties-file conf/spark/s3.conf s3a://bucket/shards/train",
      ""
    })
final class VerifyCommand implements Callable<Integer> {
  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "a Hadoop setting (fs.s3a.endpoint=..., or spark.hadoop.fs.s3a.endpoint=...); repeatable")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(
      names = "--properties-file",
      paramLabel = "FILE",
      description = "a Spark properties file (e.g. conf/spark/s3.conf): its spark.hadoop.* keys")
  Path propertiesFile;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "the shard set (local path, hdfs://, s3a://)")
  String dir;

  @Override
  public Integer call() {
    ShardVerifier.Report r = new ShardVerifier(Storage.withSettings(settings())).verify(dir);
    if (r.ok()) {
      System.out.printf(
          "verify: %s is sound: %d shard(s), %d samples%n", dir, r.shards(), r.samples());
      return Main.OK;
    }
    System.out.printf("verify: %s has %d problem(s):%n", dir, r.problems().size());
    r.problems().forEach(p -> System.out.println("  - " + p));
    return Main.FAILED;
  }

  /** The properties file's settings, then --conf ones over them. */
  private Map<String, String> settings() {
    Map<String, String> all = new LinkedHashMap<>();
    if (propertiesFile != null) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException e) {
        throw new UsageException(
            "Cannot read properties file " + propertiesFile + ": " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k).trim()));
    }
    all.putAll(conf);
    return all;
  }
}
