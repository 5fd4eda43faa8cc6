package io.nautilus.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1: one Master and N Workers (1 core, 1 GiB each), every one
 * a separate JVM on the jars of a Spark home, started the way Spark's own scripts start them
 * ({@code java -cp "$SPARK_HOME/conf/:$SPARK_HOME/jars/*" <class>}).
 */
final class StandaloneCluster {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  // Six JVMs share two cores for about a minute: C2 compilation would cost more CPU than it
  // saves (about 30% of the test's CPU time, measured). Neither flag changes what gets loaded.
  private static final List<String> SHORT_RUN_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final Path sparkHome;
  private final Path workDir;
  private final List<String> opens;
  private final ChildProcesses processes;
  private final List<ChildProcesses.Child> workers = new ArrayList<>();
  private String masterUrl;

  private StandaloneCluster(
      Path sparkHome, Path workDir, List<String> opens, ChildProcesses processes) {
    this.sparkHome = sparkHome;
    this.workDir = workDir;
    this.opens = opens;
    this.processes = processes;
  }

  /**
   * Starts the Master and the Workers and waits until every Worker has registered. The processes
   * belong to {@code processes}, which stops them.
   */
  static StandaloneCluster start(
      Path sparkHome, Path workDir, int workerCount, List<String> opens, ChildProcesses processes)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(sparkHome.resolve("jars"))) {
      throw new IllegalStateException(
          "Cannot start a Spark cluster: "
              + sparkHome.resolve("jars")
              + " is missing; build it with 'mvn -Pcluster-it package' (module spark-home)");
    }
    // Spark's launcher takes a folder with RELEASE for a distribution and uses its jars/ folder.
    Files.createDirectories(sparkHome.resolve("conf"));
    if (!Files.exists(sparkHome.resolve("RELEASE"))) {
      Files.writeString(sparkHome.resolve("RELEASE"), "");
    }
    StandaloneCluster c = new StandaloneCluster(sparkHome, workDir, opens, processes);
    c.startAll(workerCount);
    return c;
  }

  private void startAll(int workerCount) throws IOException, InterruptedException {
    int port = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    ChildProcesses.Child master =
        processes.start(
            "spark-master",
            command(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                "0"),
            env(),
            workDir);
    awaitLog(master, "I have been elected leader!");
    for (int i = 1; i <= workerCount; i++) {
      Path dir = Files.createDirectories(workDir.resolve("worker-" + i));
      workers.add(
          processes.start(
              "spark-worker-" + i,
              command(
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--cores",
                  "1",
                  "--memory",
                  "1g",
                  "--webui-port",
                  "0",
                  "--work-dir",
                  dir.toString(),
                  masterUrl),
              env(),
              workDir));
    }
    for (ChildProcesses.Child w : workers) {
      awaitLog(w, "Successfully registered with master " + masterUrl);
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /**
   * Runs {@code spark-submit --master <this cluster> --class <mainClass> <jar> <args>} in client
   * mode (the driver is the submitting JVM, as on an edge node) and returns the driver.
   */
  ChildProcesses.Child submit(String name, Path jar, String mainClass, List<String> args)
      throws IOException {
    List<String> submit = new ArrayList<>();
    submit.addAll(
        List.of(
            "--master",
            masterUrl,
            "--deploy-mode",
            "client",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.executor.extraJavaOptions=-Dai.djl.offline=true "
                + String.join(" ", SHORT_RUN_JVM)
                + " "
                + String.join(" ", opens),
            // Wait for every executor before the first stage, so the work really is spread.
            "--conf",
            "spark.scheduler.minRegisteredResourcesRatio=1.0",
            // Spark's 200 shuffle partitions are for big data; two 1-core executors take 4.
            "--conf",
            "spark.sql.shuffle.partitions=4",
            "--class",
            mainClass,
            jar.toString()));
    submit.addAll(args);
    return processes.start(
        name,
        command("org.apache.spark.deploy.SparkSubmit", submit.toArray(String[]::new)),
        env(),
        workDir);
  }

  /** The stderr files of every executor the Workers launched ({@code work/app-*}/{@code N}/). */
  List<Path> executorLogs() {
    try (Stream<Path> files = Files.walk(workDir)) {
      return files
          .filter(p -> p.getFileName().toString().equals("stderr"))
          .filter(p -> p.getParent().getParent().getFileName().toString().startsWith("app-"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> command(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcesses.java().toString());
    cmd.add("-Xmx1g");
    cmd.addAll(SHORT_RUN_JVM);
    cmd.addAll(opens);
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("conf") + "/:" + sparkHome.resolve("jars") + "/*");
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  private Map<String, String> env() {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        // Without it the Worker's executor command looks for a source build's folders.
        "SPARK_SCALA_VERSION", "2.12",
        "SPARK_LOCAL_IP", "127.0.0.1");
  }

  /** Waits until a daemon's log shows a line; fails at once if the daemon died. */
  private static void awaitLog(ChildProcesses.Child child, String line)
      throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (ChildProcesses.log(child).contains(line)) {
        return;
      }
      if (!child.process().isAlive()) {
        throw new AssertionError(
            "Cannot start "
                + child.name()
                + ": it exited with "
                + child.process().exitValue()
                + " before logging '"
                + line
                + "'");
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "Cannot start " + child.name() + ": no '" + line + "' within " + START_TIMEOUT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
