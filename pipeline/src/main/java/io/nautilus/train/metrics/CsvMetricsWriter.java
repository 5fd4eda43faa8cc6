package io.nautilus.train.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Objects;

/**
 * Writes scalars to {@code metrics.csv}, one row per value: {@code step,tag,value,wall_time}.
 *
 * <p>This "long" layout differs on purpose from Lightning's {@code CSVLogger}, whose "wide" {@code
 * metrics.csv} has a column per metric and rewrites the whole file whenever a new metric appears.
 * Rows here are only ever appended, which works on any stream (HDFS and object stores cannot
 * rewrite a file), a resumed run adds to the same file, and a crash loses nothing that was flushed.
 * The wide table is one line of pandas away: {@code pd.read_csv(f).pivot_table( index="step",
 * columns="tag", values="value")}.
 *
 * <p>Values are written as Java's shortest {@code float} form ({@code 0.25}, {@code 1.0E-4}), and
 * NaN and infinities as Python writes them ({@code nan}, {@code inf}, {@code -inf}), so Python's
 * {@code float()} and pandas read every row back. {@code wall_time} is Unix seconds with
 * milliseconds ({@code 1700000000.123}). Tags holding a comma, quote or line break are quoted as
 * RFC 4180 says.
 */
public final class CsvMetricsWriter implements MetricsWriter {
  /** The file name Lightning's CSV logger uses. */
  public static final String FILE_NAME = "metrics.csv";

  /** The first line of the file. */
  public static final String HEADER = "step,tag,value,wall_time";

  private final Writer out;
  private final Clock clock;
  private boolean closed;

  /**
   * Writes a new file, header first, with the system clock; see {@link
   * #CsvMetricsWriter(OutputStream, Clock)}.
   */
  public CsvMetricsWriter(OutputStream out) throws IOException {
    this(out, Clock.systemUTC());
  }

  /**
   * Writes a new file to {@code out}, header first. The writer owns the stream and closes it.
   *
   * @param out where the file's bytes go, e.g. a Hadoop {@code FSDataOutputStream}
   * @param clock the source of each row's wall time
   */
  public CsvMetricsWriter(OutputStream out, Clock clock) throws IOException {
    this(out, clock, HEADER + "\n");
  }

  private CsvMetricsWriter(OutputStream out, Clock clock, String preamble) throws IOException {
    this.out =
        new BufferedWriter(
            new OutputStreamWriter(
                Objects.requireNonNull(out, "out is null"), StandardCharsets.UTF_8));
    this.clock = Objects.requireNonNull(clock, "clock is null");
    this.out.write(preamble);
  }

  /**
   * Opens {@code logDir/metrics.csv} (the directory is made if missing): a new file gets the
   * header, an existing one with the same header is appended to, so a resumed run continues it.
   *
   * @throws IOException if the existing file has another header (for example Lightning's wide
   *     layout), which would mix two layouts in one file
   */
  public static CsvMetricsWriter open(Path logDir) throws IOException {
    return open(logDir, Clock.systemUTC());
  }

  /** As {@link #open(Path)}, with {@code clock} for the wall times. */
  public static CsvMetricsWriter open(Path logDir, Clock clock) throws IOException {
    Files.createDirectories(logDir);
    Path file = logDir.resolve(FILE_NAME);
    String preamble = preambleFor(file);
    OutputStream stream =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    try {
      return new CsvMetricsWriter(stream, clock, preamble);
    } catch (IOException | RuntimeException e) {
      try {
        stream.close();
      } catch (IOException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** What to write before the first row so that the file stays one well-formed table. */
  private static String preambleFor(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return HEADER + "\n";
    }
    String firstLine;
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      firstLine = lines.findFirst().orElse("");
    }
    if (!firstLine.equals(HEADER)) {
      throw new IOException(
          "Cannot append to "
              + file
              + ": its header is '"
              + firstLine
              + "', expected '"
              + HEADER
              + "'; move the old file away or log to a new directory");
    }
    // A run killed mid-row leaves no line break; start on a fresh line rather than extend the
    // broken row.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(raf.length() - 1);
      return raf.read() == '\n' ? "" : "\n";
    }
  }

  @Override
  public synchronized void scalar(String tag, float value, long step) throws IOException {
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("Cannot write a scalar: the tag is empty");
    }
    if (closed) {
      throw new IllegalStateException(
          "Cannot write scalar '" + tag + "': the CSV metrics writer is closed");
    }
    out.write(
        step
            + ","
            + quote(tag)
            + ","
            + format(value)
            + ","
            + BigDecimal.valueOf(clock.millis(), 3).toPlainString()
            + "\n");
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  static String format(float value) {
    if (Float.isNaN(value)) {
      return "nan";
    }
    if (Float.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return Float.toString(value);
  }

  private static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
