package io.nautilus.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.prepare.PrepareConfig;
import io.nautilus.prepare.PrepareJob;
import io.nautilus.run.Outputs;
import io.nautilus.shard.job.ShardConfig;
import io.nautilus.shard.job.ShardJob;
import io.nautilus.shard.job.ShardVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * prepare, shard and verify on the shipped ASR sample (data/sample/asr) with inputs and outputs on
 * one store, and what came out in a form that compares across stores. Under a base location: the
 * sample in {@code asr/}, prepare's output in {@code prepared/}, the shards in {@code shards/}.
 */
final class StoreRoundTrip {
  static final String MANIFEST = "asr/train_manifest.json";
  static final int NUM_SHARDS = 3;

  /** Files that name their own location or time, so they differ between stores by design. */
  private static final Set<String> LOCATION_BOUND =
      Set.of(
          ShardJob.METADATA,
          ShardJob.CONFIG,
          ShardJob.REMAINDER,
          ShardJob.STATE,
          CommitProtocol.MARKER);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Outcome localRun;

  /**
   * What a run wrote.
   *
   * @param manifest prepare's manifest.json, the base location replaced by {@code <base>}
   * @param stats prepare's stats.json the same way, without the run time
   * @param remainder shard's remainder_manifest.json (prepared lines) the same way
   * @param shards sha-256 of each file of the shard set (tars, manifests, index, stats), by path
   * @param report verify's report on the shard set
   */
  record Outcome(
      String manifest,
      ObjectNode stats,
      String remainder,
      Map<String, String> shards,
      ShardVerifier.Report report) {}

  private StoreRoundTrip() {}

  /** The same run on local files, made once per test JVM: what every store must reproduce. */
  static synchronized Outcome local(SparkSession spark, Path tmp, PrintStream out)
      throws IOException {
    if (localRun == null) {
      Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
      String base = "file:" + tmp.toAbsolutePath().resolve("local-run");
      upload(storage, base);
      localRun = run(spark, storage, base, out, List.of());
    }
    return localRun;
  }

  /** A local Spark session for the store tests, with Hadoop settings as spark.hadoop.* keys. */
  static SparkSession spark(Map<String, String> hadoop) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2");
    hadoop.forEach((k, v) -> b.config("spark.hadoop." + k, v));
    return b.getOrCreate();
  }

  /** The shipped sample folder, found from the working directory (Maven runs in pipeline/). */
  static Path sample() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("data/sample/asr"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "Cannot find data/sample/asr above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("data/sample/asr");
  }

  /** Copies every file of the sample to {@code base/asr/}, through the store's file system. */
  static void upload(Storage storage, String base) throws IOException {
    Path sample = sample();
    List<Path> files;
    try (Stream<Path> s = Files.walk(sample)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    // In parallel: object stores and HDFS spend most of a small file's time on round trips.
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Path f : files) {
        org.apache.hadoop.fs.Path target =
            new org.apache.hadoop.fs.Path(
                base + "/asr/" + sample.relativize(f).toString().replace('\\', '/'));
        done.add(
            pool.submit(
                () -> {
                  try (OutputStream out = storage.fs(target).create(target, true)) {
                    Files.copy(f, out);
                  }
                  return null;
                }));
      }
      for (Future<?> d : done) {
        d.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Cannot upload the sample: interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(
          "Cannot upload the sample to " + base + ": " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** prepare, then shard, then verify, with everything under {@code base}. */
  static Outcome run(
      SparkSession spark, Storage storage, String base, PrintStream out, List<String> overrides)
      throws IOException {
    Config prepare = prepareConfig(base, overrides);
    new PrepareJob(spark, storage, out).run(PrepareConfig.options(prepare), prepare.toYaml());
    Config shard = shardConfig(base, overrides);
    new ShardJob(spark, storage, out).run(ShardConfig.options(shard), shard.toYaml());
    ShardVerifier.Report report = new ShardVerifier(storage).verify(base + "/shards");

    ObjectNode stats =
        (ObjectNode) JSON.readTree(located(storage, base, "prepared/" + PrepareJob.STATS));
    stats.remove("elapsed_seconds");
    return new Outcome(
        located(storage, base, "prepared/" + PrepareJob.MANIFEST),
        stats,
        located(storage, base, "shards/" + ShardJob.REMAINDER),
        digests(storage, base + "/shards"),
        report);
  }

  /**
   * A text file under {@code base} with every spelling of the base location made {@code <base>}.
   */
  private static String located(Storage storage, String base, String file) throws IOException {
    return storage
        .readString(new org.apache.hadoop.fs.Path(base + "/" + file))
        .replace(base, "<base>")
        .replace(Outputs.display(base), "<base>");
  }

  static Config prepareConfig(String base, List<String> overrides) {
    List<String> o = new ArrayList<>();
    o.add("input.manifests=[" + base + "/" + MANIFEST + "]");
    o.add("output.dir=" + base + "/prepared");
    o.add("output.overwrite=true");
    o.add("spark.partitions=2");
    o.addAll(overrides);
    return ConfigLoader.load(PrepareConfig.SCHEMA, null, o);
  }

  static Config shardConfig(String base, List<String> overrides) {
    List<String> o = new ArrayList<>();
    o.add("input.prepared=[" + base + "/prepared]");
    o.add("output.dir=" + base + "/shards");
    o.add("output.overwrite=true");
    o.add("shard.num_shards=" + NUM_SHARDS);
    o.add("spark.partitions=2");
    o.addAll(overrides);
    return ConfigLoader.load(ShardConfig.SCHEMA, null, o);
  }

  /** sha-256 of every file under {@code dir} except {@link #LOCATION_BOUND} ones, by path. */
  static Map<String, String> digests(Storage storage, String dir) throws IOException {
    org.apache.hadoop.fs.Path root = storage.qualify(dir);
    FileSystem fs = storage.fs(root);
    String prefix = root.toUri().getPath() + "/";
    Map<String, String> d = new TreeMap<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      org.apache.hadoop.fs.Path p = it.next().getPath();
      String name = p.toUri().getPath().substring(prefix.length());
      if (!LOCATION_BOUND.contains(name)) {
        d.put(name, sha256(storage, p));
      }
    }
    return d;
  }

  static String sha256(Storage storage, org.apache.hadoop.fs.Path file) throws IOException {
    try (InputStream in = storage.open(file);
        DigestInputStream digest =
            new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      digest.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
