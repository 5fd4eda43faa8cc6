package io.nautilus.train.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our event and CSV files read by Python: a stdlib-only reader with its own CRC32C (always, when
 * {@code /usr/bin/python3} exists), and TensorBoard itself when a Python with the {@code
 * tensorboard} package is found ({@code NAUTILUS_TENSORBOARD_PYTHON}, else {@code
 * /usr/bin/python3}). Debian packages no TensorBoard, so that test usually skips; point the
 * variable at a virtualenv with {@code pip install tensorboard} to run it.
 */
class TensorBoardPythonCompatTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 500_000_000), ZoneOffset.UTC);

  /** Checks framing and both CRCs with a pure-Python CRC32C, then decodes the protobuf. */
  private static final String STDLIB_READER =
      String.join(
          "\n",
          "import json, struct, sys",
          "def crc32c(data):",
          "    crc = 0xFFFFFFFF",
          "    for byte in data:",
          "        crc ^= byte",
          "        for _ in range(8):",
          "            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1",
          "    return crc ^ 0xFFFFFFFF",
          "def masked(crc):",
          "    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF",
          "assert crc32c(b'123456789') == 0xE3069283",
          "def varint(buf, pos):",
          "    result = shift = 0",
          "    while True:",
          "        b = buf[pos]; pos += 1",
          "        result |= (b & 0x7F) << shift",
          "        if b < 0x80: return result, pos",
          "        shift += 7",
          "def fields(buf):",
          "    pos = 0",
          "    while pos < len(buf):",
          "        key, pos = varint(buf, pos)",
          "        num, wire = key >> 3, key & 7",
          "        if wire == 0: val, pos = varint(buf, pos)",
          "        elif wire == 1: val = buf[pos:pos + 8]; pos += 8",
          "        elif wire == 5: val = buf[pos:pos + 4]; pos += 4",
          "        elif wire == 2:",
          "            n, pos = varint(buf, pos); val = buf[pos:pos + n]; pos += n",
          "        else: raise ValueError('wire type %d' % wire)",
          "        yield num, wire, val",
          "data = open(sys.argv[1], 'rb').read()",
          "out, pos = [], 0",
          "while pos < len(data):",
          "    header = data[pos:pos + 8]",
          "    (length,) = struct.unpack('<Q', header)",
          "    (hcrc,) = struct.unpack('<I', data[pos + 8:pos + 12])",
          "    assert hcrc == masked(crc32c(header)), 'length crc at %d' % pos",
          "    body = data[pos + 12:pos + 12 + length]",
          "    (dcrc,) = struct.unpack('<I', data[pos + 12 + length:pos + 16 + length])",
          "    assert dcrc == masked(crc32c(body)), 'data crc at %d' % pos",
          "    pos += 16 + length",
          "    ev = {'step': 0}",
          "    for num, wire, val in fields(body):",
          "        if (num, wire) == (1, 1): ev['wall_time'] = struct.unpack('<d', val)[0]",
          "        elif (num, wire) == (2, 0): ev['step'] = val - (1 << 64) if val >> 63 else val",
          "        elif (num, wire) == (3, 2): ev['file_version'] = val.decode('utf-8')",
          "        elif (num, wire) == (5, 2):",
          "            for snum, swire, sval in fields(val):",
          "                assert (snum, swire) == (1, 2)",
          "                for vnum, vwire, vval in fields(sval):",
          "                    if (vnum, vwire) == (1, 2): ev['tag'] = vval.decode('utf-8')",
          "                    elif (vnum, vwire) == (2, 5):",
          "                        ev['value'] = struct.unpack('<f', vval)[0]",
          "                    else: raise ValueError('Value field %d' % vnum)",
          "        else: raise ValueError('Event field %d' % num)",
          "    out.append(ev)",
          "print(json.dumps(out))");

  /**
   * Reads the run directory as TensorBoard's scalar dashboard does, counts the records its
   * CRC-checking loader accepts, and checks that protobuf re-encodes each record to our bytes.
   */
  private static final String TENSORBOARD_READER =
      String.join(
          "\n",
          "import json, sys",
          "from tensorboard.backend.event_processing import event_accumulator, event_file_loader",
          "from tensorboard.compat.proto import event_pb2",
          "raw = list(event_file_loader.RawEventFileLoader(sys.argv[1]).Load())",
          "canonical = all(event_pb2.Event.FromString(r).SerializeToString() == r for r in raw)",
          "acc = event_accumulator.EventAccumulator(sys.argv[2])",
          "acc.Reload()",
          "scalars = {t: [[e.step, e.value, e.wall_time] for e in acc.Scalars(t)]",
          "           for t in acc.Tags()['scalars']}",
          "print(json.dumps({'records': len(raw), 'canonical': canonical,",
          "                  'file_version': acc.file_version, 'scalars': scalars}))");

  private static final String CSV_READER =
      String.join(
          "\n",
          "import csv, json, sys",
          "with open(sys.argv[1], newline='', encoding='utf-8') as f:",
          "    rows = list(csv.DictReader(f))",
          "print(json.dumps([[int(r['step']), r['tag'], repr(float(r['value'])),",
          "                   float(r['wall_time'])] for r in rows]))");

  @Test
  void pythonStdlibReaderVerifiesBothCrcsAndDecodesEveryEvent(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is not installed");
    Path file = writeRun(dir);

    JsonNode events = run(PYTHON, STDLIB_READER, file.toString());

    assertThat(events).hasSize(5);
    assertThat(events.get(0).get("file_version").asText()).isEqualTo("brain.Event:2");
    assertThat(events.get(0).get("step").asLong()).isZero();
    assertThat(events.get(0).get("wall_time").asDouble()).isEqualTo(1.7000000005e9);
    assertThat(describe(events.get(1))).isEqualTo("train_loss@1=2.5");
    assertThat(describe(events.get(2))).isEqualTo("lr@1=0.0010000000474974513");
    assertThat(describe(events.get(3))).isEqualTo("train_loss@100=0.125");
    assertThat(describe(events.get(4))).isEqualTo("val_wer@-3=0.0");
  }

  @Test
  void tensorBoardShowsEveryScalarWithItsStepAndValue(@TempDir Path dir) throws Exception {
    Path python = tensorBoardPython();
    assumeTrue(python != null, "no Python with the tensorboard package");
    Path file = writeRun(dir);

    JsonNode result = run(python, TENSORBOARD_READER, file.toString(), dir.toString());

    assertThat(result.get("records").asInt()).isEqualTo(5);
    assertThat(result.get("canonical").asBoolean()).isTrue();
    assertThat(result.get("file_version").asDouble()).isEqualTo(2.0);
    JsonNode scalars = result.get("scalars");
    assertThat(scalars.get("train_loss").toString())
        .isEqualTo("[[1,2.5,1.7000000005E9]," + "[100,0.125,1.7000000005E9]]");
    assertThat(scalars.get("lr").get(0).get(0).asLong()).isEqualTo(1);
    assertThat(scalars.get("lr").get(0).get(1).asDouble()).isCloseTo(1e-3, within(1e-10));
    assertThat(scalars.get("val_wer").toString()).isEqualTo("[[-3,0.0,1.7000000005E9]]");
  }

  @Test
  void pythonCsvModuleReadsTheMetricsFile(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is not installed");
    try (CsvMetricsWriter writer = CsvMetricsWriter.open(dir, CLOCK)) {
      writer.scalar("train_loss", 2.5f, 1);
      writer.scalar("lr", 1e-4f, 1);
      writer.scalar("odd, \"tag\"", Float.NaN, 2);
      writer.scalar("grad_norm", Float.POSITIVE_INFINITY, 3);
    }

    JsonNode rows = run(PYTHON, CSV_READER, dir.resolve("metrics.csv").toString());

    assertThat(rows.toString())
        .isEqualTo(
            "[[1,\"train_loss\",\"2.5\",1.7000000005E9],"
                + "[1,\"lr\",\"0.0001\",1.7000000005E9],"
                + "[2,\"odd, \\\"tag\\\"\",\"nan\",1.7000000005E9],"
                + "[3,\"grad_norm\",\"inf\",1.7000000005E9]]");
  }

  private static String describe(JsonNode event) {
    return event.get("tag").asText()
        + "@"
        + event.get("step").asLong()
        + "="
        + event.get("value").asDouble();
  }

  private static Path writeRun(Path dir) throws IOException {
    try (TensorBoardWriter writer = TensorBoardWriter.open(dir, CLOCK)) {
      writer.scalar("train_loss", 2.5f, 1);
      writer.scalar("lr", 1e-3f, 1);
      writer.scalar("train_loss", 0.125f, 100);
      writer.scalar("val_wer", 0.0f, -3);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().contains("tfevents")).findFirst().get();
    }
  }

  /** The first of {@code NAUTILUS_TENSORBOARD_PYTHON} and /usr/bin/python3 that has TensorBoard. */
  private static Path tensorBoardPython() throws Exception {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getenv("NAUTILUS_TENSORBOARD_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    candidates.add(PYTHON);
    for (Path python : candidates) {
      if (Files.isExecutable(python) && exitCode(python, "import tensorboard") == 0) {
        return python;
      }
    }
    return null;
  }

  private static int exitCode(Path python, String script) throws Exception {
    Process process =
        new ProcessBuilder(python.toString(), "-c", script)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private static JsonNode run(Path python, String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(python.toString(), "-c", script));
    command.addAll(List.of(args));
    // TensorBoard logs warnings to stderr; a file keeps them out of the JSON and cannot fill up
    // and block the process the way an unread pipe can.
    Path stderr = Files.createTempFile("python-stderr", ".txt");
    try {
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      process.getOutputStream().close();
      byte[] stdout = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(stderr, UTF_8)).isZero();
      return new ObjectMapper().readTree(stdout);
    } finally {
      Files.delete(stderr);
    }
  }
}
