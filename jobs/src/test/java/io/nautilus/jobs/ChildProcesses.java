package io.nautilus.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs an integration test starts: each one's output goes to its own log file, and {@link
 * #close()} kills every one of them and their descendants (executors a Worker launched) by PID,
 * also when the test failed or the test JVM is shutting down.
 */
final class ChildProcesses implements AutoCloseable {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private final Path logDir;
  private final List<Child> children = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::killAll, "kill-test-processes");

  /** One started process and where its output goes. */
  record Child(String name, Process process, Path log) {
    long pid() {
      return process.pid();
    }
  }

  ChildProcesses(Path logDir) throws IOException {
    this.logDir = Files.createDirectories(logDir);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Starts a command with Spark's and Hadoop's environment variables replaced by {@code env}. */
  synchronized Child start(String name, List<String> command, Map<String, String> env, Path dir)
      throws IOException {
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // A developer's SPARK_HOME, SPARK_CONF_DIR or HADOOP_CONF_DIR must not leak into the test.
    pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_"));
    pb.environment().putAll(env);
    Files.writeString(log, "$ " + String.join(" ", command) + "\n");
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Child child = new Child(name, pb.start(), log);
    children.add(child);
    return child;
  }

  /** Waits for a child to exit; kills it (and its descendants) when it takes longer. */
  int await(Child child, Duration timeout) throws InterruptedException {
    if (!child.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill(child);
      throw new AssertionError(
          "Cannot finish " + child.name() + ": still running after " + timeout + "; killed it");
    }
    return child.process().exitValue();
  }

  static String log(Child child) {
    try {
      return Files.readString(child.log(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints the last lines of every child's log and of the extra files (executor logs). */
  synchronized void printLogs(PrintStream out, List<Path> extra) {
    List<Path> logs = new ArrayList<>();
    children.forEach(c -> logs.add(c.log()));
    logs.addAll(extra);
    for (Path log : logs) {
      out.println("===== " + log + " (last 80 lines)");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(out::println);
      } catch (IOException | UncheckedIOException e) {
        out.println("(cannot read: " + e + ")");
      }
    }
    out.flush();
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or has run; nothing left to unregister.
    }
  }

  /** Newest first, so drivers go before the Workers and the Master they talk to. */
  private synchronized void killAll() {
    for (int i = children.size() - 1; i >= 0; i--) {
      kill(children.get(i));
    }
  }

  /** SIGKILLs a child and everything it started, by PID, and waits until they are gone. */
  static void kill(Child child) {
    List<ProcessHandle> all = new ArrayList<>(child.process().descendants().toList());
    all.add(child.process().toHandle());
    for (ProcessHandle p : all) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("warning: process " + p.pid() + " did not exit after SIGKILL: " + e);
      }
    }
    try {
      // Reaped, so that its exit status can be read.
      child.process().waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
