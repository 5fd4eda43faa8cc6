package io.nautilus.io;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The staging directory a job writes beside its output before committing it with one rename.
 *
 * <p>A killed driver never runs its cleanup, so its staging directory stays behind. The name
 * records which process owns it ({@code .<output>.staging-<pid>-<start millis>-<random>-<host>}),
 * and a later run for the same output removes the ones whose owner is gone: same host, and no
 * process with that pid and start time. Directories owned by another host, or named some other way,
 * are left alone, since a live run elsewhere may still be writing them: remove those by hand. Hosts
 * are told apart by name, so two machines sharing an output file system need distinct host names.
 */
public final class Staging {
  private static final Pattern OWNED = Pattern.compile("(\\d+)-(\\d+)-([0-9a-f]{16})-(.+)");
  // Linux derives a process's start time from clock ticks; allow for rounding between readers.
  private static final long START_TOLERANCE_MILLIS = 1000;

  private Staging() {}

  /**
   * Removes stale staging directories of earlier crashed runs for {@code output}, saying so on
   * {@code out}, and returns a fresh staging path for this run (not yet created).
   */
  public static Path create(Storage storage, Path output, PrintStream out) {
    removeStale(storage, output, out);
    return path(output, Owner.current());
  }

  /** Removes stale staging directories of earlier crashed runs for {@code output}, saying so. */
  public static void removeStale(Storage storage, Path output, PrintStream out) {
    for (Path removed : cleanStale(storage, output)) {
      String shown = removed.toString();
      out.println(
          "note: removed "
              + (shown.startsWith("file:") ? shown.substring("file:".length()) : shown)
              + ", left by an earlier run that was stopped");
    }
  }

  /** A fresh staging path for {@code output}, owned by this process. */
  static Path newPath(Path output) {
    return path(output, Owner.current());
  }

  /** The staging path of {@code output} owned by {@code owner}. */
  static Path path(Path output, Owner owner) {
    String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    return new Path(
        output.getParent(),
        prefix(output)
            + owner.pid()
            + "-"
            + owner.startMillis()
            + "-"
            + random
            + "-"
            + owner.host());
  }

  /** Deletes the staging directories of {@code output} whose owner is gone; returns them. */
  public static List<Path> cleanStale(Storage storage, Path output) {
    Path parent = output.getParent();
    List<Path> removed = new ArrayList<>();
    if (parent == null) {
      return removed;
    }
    String prefix = prefix(output);
    String host = Owner.current().host();
    try {
      FileSystem fs = storage.fs(parent);
      if (!fs.exists(parent)) {
        return removed;
      }
      for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith(prefix))) {
        Optional<Owner> owner = Owner.parse(s.getPath().getName().substring(prefix.length()));
        if (owner.isPresent() && owner.get().host().equals(host) && owner.get().isGone()) {
          storage.deleteRecursively(s.getPath());
          removed.add(s.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot remove stale staging directories beside " + output + ": " + e.getMessage(), e);
    }
    return removed;
  }

  private static String prefix(Path output) {
    return "." + output.getName() + ".staging-";
  }

  /** The process that owns a staging directory. */
  record Owner(long pid, long startMillis, String host) {
    private static final Owner CURRENT = detect();

    static Owner current() {
      return CURRENT;
    }

    /** Parses the part of a staging name after {@code .staging-}; empty if not of this form. */
    static Optional<Owner> parse(String suffix) {
      Matcher m = OWNED.matcher(suffix);
      if (!m.matches()) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new Owner(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(4)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** True when no process on this host has this pid and start time. */
    boolean isGone() {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty()) {
        return true;
      }
      Optional<Instant> started = p.get().info().startInstant();
      // Unknown start times count as the same process: better a leftover than a live run's loss.
      return startMillis > 0
          && started.isPresent()
          && Math.abs(started.get().toEpochMilli() - startMillis) > START_TOLERANCE_MILLIS;
    }

    private static Owner detect() {
      ProcessHandle self = ProcessHandle.current();
      long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      return new Owner(self.pid(), start, hostName());
    }

    private static String hostName() {
      String name;
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        name = "";
      }
      if (name.isBlank()) {
        return "unknown";
      }
      // Only characters every file system and URI takes as they are.
      return name.replaceAll("[^A-Za-z0-9.-]", "_");
    }
  }
}
