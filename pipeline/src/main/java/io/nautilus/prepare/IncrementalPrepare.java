package io.nautilus.prepare;

import io.nautilus.io.PendingSet;
import io.nautilus.io.Storage;
import io.nautilus.run.JobFailedException;
import io.nautilus.run.Outputs;
import io.nautilus.run.RunFingerprint;
import io.nautilus.run.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code prepare --incremental}: each run reads only the manifests and appended lines that earlier
 * runs did not, and writes them as a complete prepare output of their own under {@code
 * runs/run-NNNNN/}. {@link PrepareState} lists the committed runs and how far each manifest was
 * read; writing it is the commit of a run, so a run killed before that leaves a run folder that the
 * next run replaces.
 *
 * <p>Every line read ends up in exactly one run's manifest.json or rejects file; the state adds up
 * the runs' counts. Duplicates are found across runs too: the record accepted first, in time, is
 * kept.
 */
final class IncrementalPrepare {
  private final PrepareJob job;
  private final Storage storage;
  private final PrintStream out;

  IncrementalPrepare(PrepareJob job, Storage storage, PrintStream out) {
    this.job = job;
    this.storage = storage;
    this.out = out;
  }

  PrepareResult run(PrepareOptions o, String resolvedConfig, List<Path> manifests, Path output) {
    String shown = Outputs.display(output.toString());
    RunFingerprint config =
        RunFingerprint.of("prepare", resolvedConfig, "input.manifests", List.of());
    PrepareState state;
    try {
      state = start(o, output, config);
    } catch (IOException e) {
      throw new UsageException("Cannot read prepare output " + shown + ": " + e.getMessage(), e);
    }

    Map<String, long[]> ranges = new LinkedHashMap<>();
    List<PrepareState.Progress> progress = new ArrayList<>();
    List<PrepareState.Span> spans = new ArrayList<>();
    List<Path> withNewLines = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    CompressionCodecFactory codecs = new CompressionCodecFactory(storage.hadoopConf());
    for (Path m : manifests) {
      if (codecs.getCodec(m) != null) {
        throw new UsageException(
            "Cannot run prepare --incremental on "
                + Outputs.display(m.toString())
                + ": it is compressed, so lines appended to it cannot be told apart; decompress it"
                + " or run without --incremental");
      }
      PrepareState.Progress seen = state.progress(m.toString());
      ManifestScan scan;
      try {
        scan = ManifestScan.of(storage, m, seen == null ? 0 : seen.bytes());
      } catch (IOException e) {
        throw new UsageException("Cannot read manifest " + m + ": " + e.getMessage(), e);
      }
      if (seen != null
          && (scan.length() < seen.bytes() || !scan.prefixSha256().equals(seen.sha256()))) {
        throw new UsageException(
            String.format(
                Locale.ROOT,
                "Cannot run prepare --incremental: manifest %s changed in its first %d line(s),"
                    + " which an earlier run already read (only appending lines is allowed); run"
                    + " without --incremental into a new output, or pass --overwrite to start"
                    + " %s over",
                Outputs.display(m.toString()),
                seen.lines(),
                shown));
      }
      long from = seen == null ? 0 : seen.lines();
      if (scan.length() > scan.completeBytes()) {
        notes.add(
            String.format(
                Locale.ROOT,
                "line %d of %s has no line end yet; it is left for a later run",
                scan.completeLines() + 1,
                Outputs.display(m.toString())));
      }
      if (scan.completeLines() > from) {
        ranges.put(m.toString(), new long[] {from, scan.completeLines()});
        spans.add(new PrepareState.Span(m.toString(), from + 1, scan.completeLines()));
        withNewLines.add(m);
        progress.add(
            new PrepareState.Progress(
                m.toString(), scan.completeLines(), scan.completeBytes(), scan.completeSha256()));
      }
    }
    if (withNewLines.isEmpty()) {
      String message =
          Outputs.nothingToDo(
              output,
              String.format(
                  Locale.ROOT,
                  "every line of the %d manifest(s) (%d line(s) in %d run(s)); no new lines",
                  manifests.size(),
                  state.totalLines(),
                  state.runs().size()));
      notes.forEach(n -> out.println("  note: " + n));
      out.print(message);
      return PrepareResult.upToDate(shown, message);
    }

    String runName = state.nextRunDir();
    Path runDir = new Path(output, runName);
    Dataset<Row> earlierKeys = earlierKeys(o, output, state);
    PendingSet set = Outputs.begin(storage, runDir, out, "prepare run");
    try {
      PrepareJob.Written w =
          job.write(
              set.dir(),
              runDir,
              new PrepareJob.Lines(withNewLines, ranges),
              o,
              resolvedConfig,
              earlierKeys,
              true);
      set.commit();
      PrepareState next =
          state.plus(
              new PrepareState.Run(
                  runName,
                  w.total(),
                  w.accepted(),
                  w.rejected(),
                  w.byReason(),
                  w.acceptedHours(),
                  w.failure() == null ? "ok" : "failed",
                  spans),
              progress);
      // The commit of this run: until the state names it, its folder is not part of the output.
      storage.writeString(new Path(output, PrepareState.FILE), next.toJson());
      out.print(w.summary());
      notes.forEach(n -> out.println("  note: " + n));
      out.print(cumulative(next, shown));
      if (w.failure() != null) {
        throw new JobFailedException(w.failure());
      }
      return w.result(shown);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write prepare run to " + runDir + ": " + e.getMessage(), e);
    } finally {
      Outputs.release(set, out);
    }
  }

  /**
   * The state to add to: the output's, or a fresh one where there is no output (or --overwrite
   * replaces it).
   */
  private PrepareState start(PrepareOptions o, Path output, RunFingerprint config)
      throws IOException {
    String shown = Outputs.display(output.toString());
    if (o.overwrite()) {
      storage.deleteRecursively(output);
      return new PrepareState(config.config(), List.of(), List.of());
    }
    PrepareState state = PrepareState.read(storage, output);
    if (state == null) {
      if (!storage.isAbsentOrEmpty(output)) {
        throw new UsageException(
            "Cannot run prepare --incremental into "
                + shown
                + ": it is not empty and has no "
                + PrepareState.FILE
                + " (it holds a prepare run without --incremental, or something else); pass"
                + " --overwrite to replace it with an incremental output");
      }
      return new PrepareState(config.config(), List.of(), List.of());
    }
    List<String> differences = config.configDifferencesFrom(state.config());
    if (!differences.isEmpty()) {
      throw new UsageException(
          "Cannot add to "
              + shown
              + ": its earlier runs used another config ("
              + String.join("; ", differences)
              + "); run with the same config, or pass --overwrite to start it over");
    }
    return state;
  }

  private Dataset<Row> earlierKeys(PrepareOptions o, Path output, PrepareState state) {
    if (o.duplicates() == PrepareOptions.Duplicates.NONE || state.runs().isEmpty()) {
      return null;
    }
    String[] files =
        state.runDirs(output).stream()
            .map(d -> new Path(d, PrepareJob.DUPLICATE_KEYS).toString())
            .toArray(String[]::new);
    return job.spark.read().schema(TextAndFilters.KEYS_SCHEMA).json(files);
  }

  private static String cumulative(PrepareState s, String shown) {
    long lines = 0;
    long accepted = 0;
    long rejected = 0;
    for (PrepareState.Run r : s.runs()) {
      lines += r.inputLines();
      accepted += r.accepted();
      rejected += r.rejected();
    }
    return String.format(
        Locale.ROOT,
        "  all %d run(s): %,d input lines = %,d accepted + %,d rejected (%s/%s)%n",
        s.runs().size(),
        lines,
        accepted,
        rejected,
        shown,
        PrepareState.FILE);
  }
}
