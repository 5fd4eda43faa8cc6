package io.nautilus.train.ckpt;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint file name, which carries all a run needs to rank its checkpoints after a restart:
 * {@code {prefix}--{monitor}={value:.4f}-epoch={epoch}-step={step}.ckpt} for top-k candidates, the
 * same with {@code -last} before {@code .ckpt} for the last one (without the {@code {monitor}=...-}
 * part when the monitor had no value).
 *
 * <p>{@code value} is the monitored value as the name shows it, rounded to 4 decimals, so a run
 * ranks the same before and after a restart.
 */
record CheckpointName(String fileName, Double value, int epoch, long step, boolean last) {
  static final String EXTENSION = ".ckpt";
  static final String LAST_SUFFIX = "-last" + EXTENSION;

  /** NeMo treats any {@code *end.ckpt} in the checkpoint directory as "the run has finished". */
  static final String END_SUFFIX = "end" + EXTENSION;

  private static final String VALUE = "(-?(?:\\d+\\.\\d{4}|Infinity))";

  static CheckpointName topK(CheckpointPolicy p, double value, int epoch, long step) {
    String shown = format(value);
    String name =
        p.filenamePrefix() + "--" + p.monitor() + "=" + shown + "-" + position(epoch, step);
    return new CheckpointName(name + EXTENSION, Double.parseDouble(shown), epoch, step, false);
  }

  static CheckpointName last(CheckpointPolicy p, Double value, int epoch, long step) {
    if (value == null || value.isNaN()) {
      return new CheckpointName(
          p.filenamePrefix() + "--" + position(epoch, step) + LAST_SUFFIX, null, epoch, step, true);
    }
    String shown = format(value);
    String name =
        p.filenamePrefix() + "--" + p.monitor() + "=" + shown + "-" + position(epoch, step);
    return new CheckpointName(name + LAST_SUFFIX, Double.parseDouble(shown), epoch, step, true);
  }

  static String end(CheckpointPolicy p, long step) {
    return p.filenamePrefix() + "--step=" + step + "-" + END_SUFFIX;
  }

  /** The name's parts, or empty when it is no checkpoint of this policy's run. */
  static Optional<CheckpointName> parse(CheckpointPolicy p, String fileName) {
    Matcher m = pattern(p).matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Double value = m.group(1) == null ? null : Double.parseDouble(m.group(1));
      boolean last = m.group(4) != null;
      if (value == null && !last) {
        return Optional.empty();
      }
      return Optional.of(
          new CheckpointName(
              fileName, value, Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), last));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Pattern pattern(CheckpointPolicy p) {
    return Pattern.compile(
        Pattern.quote(p.filenamePrefix() + "--")
            + "(?:"
            + Pattern.quote(p.monitor() + "=")
            + VALUE
            + "-)?epoch=(\\d+)-step=(\\d+)(-last)?"
            + Pattern.quote(EXTENSION));
  }

  private static String position(int epoch, long step) {
    return "epoch=" + epoch + "-step=" + step;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
