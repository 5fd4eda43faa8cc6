package io.nautilus;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a Python reference script (PyTorch, torchaudio) for a parity test: the script reads its
 * request on stdin and writes its answer on stdout. The references come from Debian's packages, so
 * the interpreter is {@code /usr/bin/python3}, not whatever {@code python3} is first on the PATH. A
 * machine without it, or without a module the script imports, skips the test instead of failing it:
 * the parity tests are extra evidence, not a build requirement.
 */
public final class PythonReference {
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Importing torch alone takes seconds on a loaded machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern MISSING_MODULE = Pattern.compile("No module named '([^']+)'");

  private PythonReference() {}

  /**
   * {@link #run} with {@code request} written as JSON by {@code json}, and the script's output read
   * back by it (a mapper that allows NaN and Infinity where the reference prints them).
   */
  public static JsonNode runJson(ObjectMapper json, String resource, Object request, String install)
      throws IOException, InterruptedException {
    return json.readTree(run(resource, json.writeValueAsBytes(request), install));
  }

  /**
   * Runs the classpath script {@code resource} with {@code stdin} and returns what it printed.
   * Importing in the script itself, rather than probing first, saves a second torch start-up.
   *
   * @param install the Debian packages that provide the script's imports, named in the skip message
   * @throws org.opentest4j.TestAbortedException (skips) when {@code /usr/bin/python3} is missing or
   *     the script stops on an import it cannot satisfy
   * @throws AssertionError with the script's stderr when it exits non-zero for another reason or
   *     runs past 60 s
   */
  public static String run(String resource, byte[] stdin, String install)
      throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(PYTHON), "skipped: " + PYTHON + " is not installed");
    Path dir = Files.createTempDirectory("python-reference");
    try {
      Path script = dir.resolve(Path.of(resource).getFileName().toString());
      try (InputStream in = PythonReference.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("Cannot run " + resource + ": no such test resource");
        }
        Files.copy(in, script);
      }
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      // Files, not pipes: a script that fills the stderr pipe while we wait on stdout would hang.
      Process process =
          new ProcessBuilder(List.of(PYTHON.toString(), script.toString()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      IOException writeFailure = null;
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // A script that dies on its imports closes stdin early; its stderr says why.
        writeFailure = e;
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("Cannot run " + resource + ": no exit after " + TIMEOUT.toSeconds() + " s");
      }
      String error = Files.readString(err);
      if (process.exitValue() != 0) {
        Matcher missing = MISSING_MODULE.matcher(error);
        assumeFalse(
            missing.find(),
            () ->
                "skipped: "
                    + PYTHON
                    + " cannot import "
                    + missing.group(1)
                    + " (apt-get install "
                    + install
                    + ")");
        fail("Cannot run " + resource + ": exit code " + process.exitValue() + "\n" + error);
      }
      if (writeFailure != null) {
        throw writeFailure;
      }
      return Files.readString(out);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
