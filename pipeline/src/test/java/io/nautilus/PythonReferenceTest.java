package io.nautilus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PythonReferenceTest {
  @BeforeEach
  void needsPython() {
    assumeTrue(Files.isExecutable(PythonReference.PYTHON), "skipped: no /usr/bin/python3");
  }

  @Test
  void scriptReadsStdinAndItsStdoutIsReturned() throws Exception {
    String out = PythonReference.run("/python/echo_upper.py", "{\"a\": 1}".getBytes(UTF_8), "-");
    assertThat(out).isEqualTo("{\"A\": 1}");
  }

  @Test
  void missingModuleSkipsNamingModuleAndPackage() {
    assertThatThrownBy(
            () -> PythonReference.run("/python/missing_module.py", new byte[0], "python3-x"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage(
            "Assumption failed: skipped: /usr/bin/python3 cannot import nautilus_no_such_module"
                + " (apt-get install python3-x)");
  }

  @Test
  void otherFailureFailsWithTheScriptsStderr() {
    assertThatThrownBy(() -> PythonReference.run("/python/fails.py", new byte[0], "-"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Cannot run /python/fails.py: exit code 1\nbroken reference\n");
  }

  @Test
  void unknownResourceIsAnError() {
    assertThatThrownBy(() -> PythonReference.run("/python/none.py", new byte[0], "-"))
        .hasMessage("Cannot run /python/none.py: no such test resource");
  }
}
