package io.nautilus.train.metrics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes scalars to a TensorBoard event file ({@code events.out.tfevents.*}), which TensorBoard
 * reads while training runs.
 *
 * <p>The file starts with the {@code brain.Event:2} version record; each scalar is one event record
 * with the wall time, the step and a single {@code simple_value}, as PyTorch's {@code
 * SummaryWriter.add_scalar} writes it. Records are buffered: TensorBoard sees them after {@link
 * #flush()} or {@link #close()} (PyTorch flushes every two minutes; callers choose their moment). A
 * record cut short by a crash is skipped by TensorBoard, so a killed run loses at most the
 * unflushed tail.
 *
 * <p>Methods are synchronized, so several threads may log to one writer.
 */
public final class TensorBoardWriter implements MetricsWriter {
  /** The {@code file_version} of the first record, which TensorBoard checks. */
  public static final String FILE_VERSION = "brain.Event:2";

  /** Tells apart the files one process opens within the same second, as PyTorch does. */
  private static final AtomicInteger FILE_SEQUENCE = new AtomicInteger();

  private final OutputStream out;
  private final Clock clock;
  private boolean closed;

  /**
   * Writes to {@code out} with the system clock for wall times; see {@link
   * #TensorBoardWriter(OutputStream, Clock)}.
   */
  public TensorBoardWriter(OutputStream out) throws IOException {
    this(out, Clock.systemUTC());
  }

  /**
   * Writes an event file to {@code out}, starting with the version record at once. The writer owns
   * the stream and closes it.
   *
   * @param out where the file's bytes go, e.g. a Hadoop {@code FSDataOutputStream}
   * @param clock the source of each record's wall time
   */
  public TensorBoardWriter(OutputStream out, Clock clock) throws IOException {
    this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out is null"), 1 << 16);
    this.clock = Objects.requireNonNull(clock, "clock is null");
    TfRecords.write(this.out, EventProto.fileVersion(wallTime(), FILE_VERSION));
  }

  /**
   * Creates a new event file in {@code logDir} (made if missing), named as PyTorch names them so
   * TensorBoard and NeMo tools find it: {@code
   * events.out.tfevents.<unix-seconds>.<hostname>.<pid>.<n>}.
   */
  public static TensorBoardWriter open(Path logDir) throws IOException {
    return open(logDir, Clock.systemUTC());
  }

  /** As {@link #open(Path)}, with {@code clock} for the file name and the wall times. */
  public static TensorBoardWriter open(Path logDir, Clock clock) throws IOException {
    Files.createDirectories(logDir);
    String name =
        fileName(
            clock.instant().getEpochSecond(),
            hostname(),
            ProcessHandle.current().pid(),
            FILE_SEQUENCE.getAndIncrement());
    OutputStream file =
        Files.newOutputStream(
            logDir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      return new TensorBoardWriter(file, clock);
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** PyTorch's event file name: seconds zero-padded to 10 digits so names sort by time. */
  static String fileName(long epochSeconds, String hostname, long pid, int sequence) {
    return String.format(
        Locale.ROOT, "events.out.tfevents.%010d.%s.%d.%d", epochSeconds, hostname, pid, sequence);
  }

  @Override
  public synchronized void scalar(String tag, float value, long step) throws IOException {
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("Cannot write a scalar: the tag is empty");
    }
    if (closed) {
      throw new IllegalStateException(
          "Cannot write scalar '" + tag + "': the TensorBoard writer is closed");
    }
    TfRecords.write(out, EventProto.scalar(wallTime(), step, tag, value));
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

  private double wallTime() {
    Instant now = clock.instant();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  /**
   * The kernel's host name, as Python's {@code socket.gethostname()} gives it; Java's lookup may go
   * through DNS, so it is only the fallback.
   */
  private static String hostname() {
    Path kernel = Path.of("/proc/sys/kernel/hostname");
    try {
      if (Files.isReadable(kernel)) {
        String name = Files.readString(kernel, StandardCharsets.UTF_8).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | UncheckedIOException e) {
      return "localhost";
    }
  }
}
