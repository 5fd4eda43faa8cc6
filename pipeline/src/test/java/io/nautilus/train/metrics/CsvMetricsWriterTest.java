package io.nautilus.train.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvMetricsWriterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);

  @Test
  void writesAHeaderThenOneRowPerScalar() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CsvMetricsWriter writer = new CsvMetricsWriter(bytes, CLOCK)) {
      writer.scalar("train_loss", 2.5f, 1);
      writer.scalar("lr", 1e-4f, 1);
      writer.scalar("val_wer", 0.125f, 250);
    }

    assertThat(bytes.toString(UTF_8))
        .isEqualTo(
            "step,tag,value,wall_time\n"
                + "1,train_loss,2.5,1700000000.123\n"
                + "1,lr,1.0E-4,1700000000.123\n"
                + "250,val_wer,0.125,1700000000.123\n");
  }

  @Test
  void quotesTagsAndWritesNonFiniteValuesAsPythonDoes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CsvMetricsWriter writer = new CsvMetricsWriter(bytes, CLOCK)) {
      writer.scalar("a,b", Float.NaN, 1);
      writer.scalar("say \"hi\"", Float.POSITIVE_INFINITY, 2);
      writer.scalar("plain", Float.NEGATIVE_INFINITY, 3);
    }

    assertThat(bytes.toString(UTF_8))
        .isEqualTo(
            "step,tag,value,wall_time\n"
                + "1,\"a,b\",nan,1700000000.123\n"
                + "2,\"say \"\"hi\"\"\",inf,1700000000.123\n"
                + "3,plain,-inf,1700000000.123\n");
  }

  @Test
  void openAppendsToTheFileOfAResumedRunWithoutASecondHeader(@TempDir Path dir) throws Exception {
    try (CsvMetricsWriter writer = CsvMetricsWriter.open(dir, CLOCK)) {
      writer.scalar("loss", 3.0f, 1);
    }
    try (CsvMetricsWriter writer = CsvMetricsWriter.open(dir, CLOCK)) {
      writer.scalar("loss", 2.0f, 2);
    }

    assertThat(Files.readString(dir.resolve("metrics.csv")))
        .isEqualTo(
            "step,tag,value,wall_time\n"
                + "1,loss,3.0,1700000000.123\n"
                + "2,loss,2.0,1700000000.123\n");
  }

  @Test
  void openStartsAFreshLineAfterARowCutShortByACrash(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("metrics.csv"), "step,tag,value,wall_time\n1,loss,3.0,17000");
    try (CsvMetricsWriter writer = CsvMetricsWriter.open(dir, CLOCK)) {
      writer.scalar("loss", 2.0f, 2);
    }

    assertThat(Files.readString(dir.resolve("metrics.csv")))
        .isEqualTo("step,tag,value,wall_time\n1,loss,3.0,17000\n2,loss,2.0,1700000000.123\n");
  }

  @Test
  void openRefusesAFileInAnotherLayout(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("metrics.csv");
    Files.writeString(file, "epoch,step,train_loss\n0,1,3.0\n");

    assertThatThrownBy(() -> CsvMetricsWriter.open(dir, CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Cannot append to "
                + file
                + ": its header is 'epoch,step,train_loss', expected 'step,tag,value,wall_time';"
                + " move the old file away or log to a new directory");
    assertThat(Files.readString(file)).isEqualTo("epoch,step,train_loss\n0,1,3.0\n");
  }

  @Test
  void rejectsEmptyTagsAndWritesAfterClose() throws Exception {
    CsvMetricsWriter writer = new CsvMetricsWriter(new ByteArrayOutputStream(), CLOCK);
    assertThatThrownBy(() -> writer.scalar("", 1.0f, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write a scalar: the tag is empty");
    writer.close();
    assertThatThrownBy(() -> writer.scalar("loss", 1.0f, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot write scalar 'loss': the CSV metrics writer is closed");
  }

  @Test
  void rowsReachTheStreamOnFlush() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CsvMetricsWriter writer = new CsvMetricsWriter(bytes, CLOCK)) {
      writer.scalar("loss", 1.0f, 7);
      assertThat(bytes.size()).isZero();
      writer.flush();
      assertThat(bytes.toString(UTF_8)).endsWith("7,loss,1.0,1700000000.123\n");
    }
  }
}
