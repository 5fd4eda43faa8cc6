package io.nautilus.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3 endpoint for tests: S3Mock's self-contained jar in a JVM of its own (its Spring Boot,
 * Jackson 2.19 and Netty would clash with Spark's in the test JVM), on loopback only, on a port the
 * kernel picks. Closing it kills the process; a shutdown hook does the same if a test run dies
 * before {@link #close()}. Public for the tests of other packages that need an S3 endpoint.
 */
public final class S3MockServer implements AutoCloseable {
  static final String JAR_PROPERTY = "nautilus.s3mock.jar";
  static final String ACCESS_KEY = "nautilus-test-access";

  private static final Pattern STARTED =
      Pattern.compile("Tomcat started on ports \\d+ \\(https\\), (\\d+) \\(http\\)");
  private static final long START_TIMEOUT_MS = 90_000;

  private final Process process;
  private final Thread killer;
  private final Path log;
  private final int port;

  private S3MockServer(Process process, Thread killer, Path log, int port) {
    this.process = process;
    this.killer = killer;
    this.log = log;
    this.port = port;
  }

  /** Starts S3Mock storing objects under {@code dir}, with the given buckets already created. */
  public static S3MockServer start(Path dir, String... buckets)
      throws IOException, InterruptedException {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "Cannot start S3Mock: system property "
              + JAR_PROPERTY
              + " = "
              + jar
              + " names no file; run the tests through Maven (it copies the jar at"
              + " generate-test-resources)");
    }
    Path root = Files.createDirectories(dir.resolve("objects"));
    Path beans = dir.resolve("s3mock-loopback.xml");
    try (InputStream in = S3MockServer.class.getResourceAsStream("/s3mock-loopback.xml")) {
      Files.copy(in, beans);
    }
    Path log = dir.resolve("s3mock.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar));
    command.add("--server.address=127.0.0.1");
    command.add("--server.port=0");
    command.add("--com.adobe.testing.s3mock.httpPort=0");
    command.add("--spring.main.sources=" + beans.toUri());
    command.add("--spring.main.banner-mode=off");
    command.add("--com.adobe.testing.s3mock.store.root=" + root);
    command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Thread killer = new Thread(process::destroyForcibly, "s3mock-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      int port = awaitPort(process, log);
      return new S3MockServer(process, killer, log, port);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(process);
      Runtime.getRuntime().removeShutdownHook(killer);
      throw e;
    }
  }

  private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = STARTED.matcher(text);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Cannot start S3Mock: it exited with code " + process.exitValue() + ":\n" + text);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "Cannot start S3Mock: not listening after "
            + START_TIMEOUT_MS / 1000
            + " s:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
  }

  public String endpoint() {
    return String.format(Locale.ROOT, "http://127.0.0.1:%d", port);
  }

  Path log() {
    return log;
  }

  /**
   * S3A settings for this endpoint: path-style requests over plain HTTP, static keys through the
   * standard provider, few retries so a wrong bucket fails fast.
   */
  public void configure(Configuration conf, String secretKey) {
    conf.set("fs.s3a.endpoint", endpoint());
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.setBoolean("fs.s3a.path.style.access", true);
    conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
    conf.set(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", ACCESS_KEY);
    conf.set("fs.s3a.secret.key", secretKey);
    // S3Mock 4.9 answers 412 to the unquoted ETag that S3A sends in copy and re-open
    // preconditions (S3 itself accepts it), so S3A's server-side change detection stays off.
    conf.set("fs.s3a.change.detection.mode", "none");
    conf.setInt("fs.s3a.attempts.maximum", 1);
    conf.setInt("fs.s3a.retry.limit", 1);
    conf.set("fs.s3a.retry.interval", "10ms");
  }

  @Override
  public void close() {
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting and the hook runs anyway.
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
