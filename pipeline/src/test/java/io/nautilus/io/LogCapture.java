package io.nautilus.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything a run says: stdout, stderr (copied, still shown) and every log event at INFO and
 * above, with stack traces, plus DEBUG from the packages that handle credentials. The appenders
 * already on the root logger are held at WARN meanwhile, so the console stays readable.
 */
final class LogCapture implements AutoCloseable {
  private static final String NAME = "nautilus-test-capture";
  private static final String[] DEBUG_LOGGERS = {"org.apache.hadoop.fs.s3a", "io.nautilus"};

  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final StringWriter logged = new StringWriter();
  private final Map<String, Appender> heldAtWarn = new LinkedHashMap<>();
  private final Map<String, Level> levels = new LinkedHashMap<>();
  private final Appender appender;

  private LogCapture() {
    System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName(NAME)
            .setTarget(logged)
            .setLayout(
                PatternLayout.newBuilder()
                    .withConfiguration(config)
                    .withPattern("%p %c: %m%n%throwable")
                    .build())
            .build();
    appender.start();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    levels.put("", root.getLevel());
    for (Appender a : root.getAppenders().values()) {
      heldAtWarn.put(a.getName(), a);
    }
    heldAtWarn.keySet().forEach(root::removeAppender);
    heldAtWarn.values().forEach(a -> root.addAppender(a, Level.WARN, null));
    root.addAppender(appender, Level.ALL, null);
    root.setLevel(Level.INFO);
    for (String name : DEBUG_LOGGERS) {
      LoggerConfig own = new LoggerConfig(name, Level.DEBUG, true);
      config.addLogger(name, own);
    }
    ctx.updateLoggers();
  }

  /** Starts capturing; close to stop. */
  static LogCapture start() {
    return new LogCapture();
  }

  /** All captured text so far: printed lines, then log events. */
  String text() {
    synchronized (printed) {
      return printed.toString(StandardCharsets.UTF_8) + "\n" + logged;
    }
  }

  private OutputStream tee(PrintStream shown) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (printed) {
          printed.write(b);
        }
        shown.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (printed) {
          printed.write(b, off, len);
        }
        shown.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        shown.flush();
      }
    };
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    LoggerConfig root = config.getRootLogger();
    root.removeAppender(NAME);
    for (Appender a : heldAtWarn.values()) {
      root.removeAppender(a.getName());
      root.addAppender(a, null, null);
    }
    root.setLevel(levels.get(""));
    for (String name : DEBUG_LOGGERS) {
      config.removeLogger(name);
    }
    ctx.updateLoggers();
    appender.stop();
  }
}
