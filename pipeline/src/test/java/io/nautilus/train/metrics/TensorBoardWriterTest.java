package io.nautilus.train.metrics;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.train.metrics.EventFileDecoder.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 250_000_000), ZoneOffset.UTC);

  @Test
  void theTestDecodersCrc32cMatchesTheStandardCheckValue() {
    // The CRC-32C check value of "123456789" (RFC 3720, iSCSI).
    byte[] check = "123456789".getBytes(US_ASCII);
    assertThat(EventFileDecoder.crc32c(check, 0, check.length)).isEqualTo(0xE3069283);
  }

  @Test
  void writesTheVersionRecordThenOneEventPerScalar() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TensorBoardWriter writer = new TensorBoardWriter(bytes, CLOCK)) {
      writer.scalar("train_loss", 2.5f, 1);
      writer.scalar("lr", 1.25e-3f, 1);
      writer.scalar("train_loss", 0.0f, 2);
    }

    List<Event> events = EventFileDecoder.decode(bytes.toByteArray());

    assertThat(events)
        .containsExactly(
            new Event(1.70000000025e9, 0, "brain.Event:2", null, null),
            new Event(1.70000000025e9, 1, null, "train_loss", 2.5f),
            new Event(1.70000000025e9, 1, null, "lr", 1.25e-3f),
            new Event(1.70000000025e9, 2, null, "train_loss", 0.0f));
  }

  @Test
  void encodesAScalarEventByteForByteAsProtobufDoes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1500), ZoneOffset.UTC);
    try (TensorBoardWriter writer = new TensorBoardWriter(bytes, clock)) {
      writer.scalar("lr", 0.25f, 3);
    }
    byte[] file = bytes.toByteArray();
    // Version record: 12-byte header, 9 + 15 bytes of event, 4-byte CRC.
    int second = 12 + 24 + 4;
    String payload = HexFormat.of().formatHex(file, second + 12, file.length - 4);

    assertThat(payload)
        .isEqualTo(
            "09"
                + "000000000000f83f" // wall_time (field 1, fixed64) = 1.5
                + "1003" // step (field 2, varint) = 3
                + "2a0b" // summary (field 5), 11 bytes
                + "0a09" // value (field 1), 9 bytes
                + "0a026c72" // tag (field 1) = "lr"
                + "150000803e"); // simple_value (field 2, fixed32) = 0.25f
    assertThat(HexFormat.of().formatHex(file, second, second + 8)).isEqualTo("1800000000000000");
  }

  @Test
  void keepsNegativeStepsNanValuesAndUnicodeTags() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TensorBoardWriter writer = new TensorBoardWriter(bytes, CLOCK)) {
      writer.scalar("val/wer_\u00e9t\u00e9", Float.NaN, -5);
      writer.scalar("x", Float.NEGATIVE_INFINITY, Long.MAX_VALUE);
    }

    List<Event> events = EventFileDecoder.decode(bytes.toByteArray());

    assertThat(events.get(1).step()).isEqualTo(-5);
    assertThat(events.get(1).tag()).isEqualTo("val/wer_\u00e9t\u00e9");
    assertThat(events.get(1).value()).isNaN();
    assertThat(events.get(2).step()).isEqualTo(Long.MAX_VALUE);
    assertThat(events.get(2).value()).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void recordsReachTheStreamOnFlush() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TensorBoardWriter writer = new TensorBoardWriter(bytes, CLOCK);
    writer.scalar("loss", 1.0f, 1);
    assertThat(bytes.size()).isZero();

    writer.flush();
    assertThat(EventFileDecoder.decode(bytes.toByteArray())).hasSize(2);

    writer.close();
    writer.close();
    assertThatThrownBy(() -> writer.scalar("loss", 1.0f, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot write scalar 'loss': the TensorBoard writer is closed");
  }

  @Test
  void rejectsAnEmptyTag() throws Exception {
    try (TensorBoardWriter writer = new TensorBoardWriter(new ByteArrayOutputStream(), CLOCK)) {
      assertThatThrownBy(() -> writer.scalar("", 1.0f, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot write a scalar: the tag is empty");
    }
  }

  @Test
  void namesFilesAsPyTorchDoesWithZeroPaddedSeconds() {
    assertThat(TensorBoardWriter.fileName(123, "node-7", 4242, 0))
        .isEqualTo("events.out.tfevents.0000000123.node-7.4242.0");
  }

  @Test
  void opensANewEventFileInALogDirectory(@TempDir Path dir) throws Exception {
    Path logDir = dir.resolve("nautilus_experiments/default/version_0");
    try (TensorBoardWriter a = TensorBoardWriter.open(logDir, CLOCK);
        TensorBoardWriter b = TensorBoardWriter.open(logDir, CLOCK)) {
      a.scalar("loss", 3.0f, 10);
    }

    List<Path> files;
    try (Stream<Path> list = Files.list(logDir)) {
      files = list.sorted().toList();
    }
    long pid = ProcessHandle.current().pid();
    assertThat(files).hasSize(2);
    for (Path file : files) {
      assertThat(file.getFileName().toString())
          .matches(
              "events\\.out\\.tfevents\\.1700000000\\.[^./]+(\\.[^./]+)*\\." + pid + "\\.\\d+");
    }
    List<List<Event>> decoded = files.stream().map(f -> EventFileDecoder.decode(read(f))).toList();
    assertThat(decoded).anySatisfy(events -> assertThat(events).hasSize(2));
    assertThat(decoded).anySatisfy(events -> assertThat(events).hasSize(1));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
