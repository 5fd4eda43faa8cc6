package io.nautilus.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.io.JsonHeader;
import io.nautilus.io.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * The state of an incremental prepare output ({@value #FILE} in its folder): the config its runs
 * share, how far each manifest has been read, and every run with its figures and the lines it took.
 * Replacing this file is what commits a run: a run folder it does not list is not part of the
 * output.
 *
 * <pre>{"format": "nautilus-prepare-state", "version": 1, "config": {...},
 * "manifests": [{"path": "file:/d/m.json", "lines": 120, "bytes": 9000, "sha256": "..."}],
 * "runs": [{"dir": "runs/run-00000", "input_lines": 120, "accepted": 118, "rejected": 2,
 * "rejects_by_reason": {"DUPLICATE": 2}, "accepted_hours": 0.2, "status": "ok",
 * "lines": [{"path": "file:/d/m.json", "first": 1, "last": 120}]}],
 * "totals": {"runs": 1, "input_lines": 120, "accepted": 118, "rejected": 2, ...}}</pre>
 */
public record PrepareState(Map<String, String> config, List<Progress> manifests, List<Run> runs) {
  /** The state file's name, in the output folder. */
  public static final String FILE = "prepare_state.json";

  /** Where run folders go, under the output folder. */
  public static final String RUNS = "runs";

  static final String FORMAT = "nautilus-prepare-state";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How much of one manifest the runs so far have read: its first {@code lines} lines. */
  public record Progress(String path, long lines, long bytes, String sha256) {}

  /** Lines {@code first..last} of one manifest, taken by one run. */
  public record Span(String path, long first, long last) {}

  /** One committed run: its folder (relative to the output) and what it did. */
  public record Run(
      String dir,
      long inputLines,
      long accepted,
      long rejected,
      Map<String, Long> byReason,
      double acceptedHours,
      String status,
      List<Span> lines) {
    public Run {
      byReason = new LinkedHashMap<>(byReason);
      lines = List.copyOf(lines);
    }
  }

  public PrepareState {
    config = new TreeMap<>(config);
    manifests = List.copyOf(manifests);
    runs = List.copyOf(runs);
  }

  /** The state in {@code output}, or null when it has none. */
  public static PrepareState read(Storage storage, Path output) throws IOException {
    String text;
    try {
      text = storage.readString(new Path(output, FILE));
    } catch (FileNotFoundException e) {
      return null;
    }
    try {
      return fromJson(JSON.readTree(text));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException("Cannot read " + new Path(output, FILE) + ": " + e.getMessage(), e);
    }
  }

  /** The folders of the committed runs, in run order. */
  public List<Path> runDirs(Path output) {
    return runs.stream().map(r -> new Path(output, r.dir())).toList();
  }

  /** The progress of {@code path}, or null for a manifest no run has read. */
  Progress progress(String path) {
    for (Progress p : manifests) {
      if (p.path().equals(path)) {
        return p;
      }
    }
    return null;
  }

  /** The folder of the next run, relative to the output. */
  String nextRunDir() {
    return String.format(Locale.ROOT, "%s/run-%05d", RUNS, runs.size());
  }

  /** This state with one more run, and the manifests it read moved on to {@code progress}. */
  PrepareState plus(Run run, List<Progress> progress) {
    Map<String, Progress> byPath = new LinkedHashMap<>();
    manifests.forEach(p -> byPath.put(p.path(), p));
    progress.forEach(p -> byPath.put(p.path(), p));
    List<Run> all = new ArrayList<>(runs);
    all.add(run);
    return new PrepareState(config, new ArrayList<>(byPath.values()), all);
  }

  long totalLines() {
    return runs.stream().mapToLong(Run::inputLines).sum();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    JsonHeader.put(root, FORMAT, VERSION);
    ObjectNode c = root.putObject("config");
    config.forEach(c::put);
    ArrayNode ms = root.putArray("manifests");
    for (Progress p : manifests) {
      ms.addObject()
          .put("path", p.path())
          .put("lines", p.lines())
          .put("bytes", p.bytes())
          .put("sha256", p.sha256());
    }
    ArrayNode rs = root.putArray("runs");
    Map<String, Long> reasons = new LinkedHashMap<>();
    long lines = 0;
    long accepted = 0;
    long rejected = 0;
    double hours = 0;
    for (Run r : runs) {
      ObjectNode n = rs.addObject();
      n.put("dir", r.dir());
      putCounts(n, r.inputLines(), r.accepted(), r.rejected(), r.byReason(), r.acceptedHours());
      n.put("status", r.status());
      ArrayNode spans = n.putArray("lines");
      for (Span s : r.lines()) {
        spans.addObject().put("path", s.path()).put("first", s.first()).put("last", s.last());
      }
      lines += r.inputLines();
      accepted += r.accepted();
      rejected += r.rejected();
      hours += r.acceptedHours();
      r.byReason().forEach((k, v) -> reasons.merge(k, v, Long::sum));
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("runs", runs.size());
    putCounts(totals, lines, accepted, rejected, reasons, Math.round(hours * 1e4) / 1e4);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write prepare state as JSON", e);
    }
  }

  private static void putCounts(
      ObjectNode n,
      long lines,
      long accepted,
      long rejected,
      Map<String, Long> byReason,
      double hours) {
    n.put("input_lines", lines);
    n.put("accepted", accepted);
    n.put("rejected", rejected);
    n.put("conservation", lines + " = " + accepted + " + " + rejected);
    ObjectNode r = n.putObject("rejects_by_reason");
    byReason.forEach(r::put);
    n.put("accepted_hours", hours);
  }

  static PrepareState fromJson(JsonNode root) {
    JsonHeader.check(root, FORMAT, VERSION, "");
    Map<String, String> config = new TreeMap<>();
    root.path("config")
        .fields()
        .forEachRemaining(f -> config.put(f.getKey(), f.getValue().asText()));
    List<Progress> manifests = new ArrayList<>();
    for (JsonNode m : root.path("manifests")) {
      manifests.add(
          new Progress(
              text(m, "path"),
              m.path("lines").asLong(),
              m.path("bytes").asLong(),
              text(m, "sha256")));
    }
    List<Run> runs = new ArrayList<>();
    for (JsonNode r : root.path("runs")) {
      Map<String, Long> reasons = new LinkedHashMap<>();
      r.path("rejects_by_reason")
          .fields()
          .forEachRemaining(f -> reasons.put(f.getKey(), f.getValue().asLong()));
      List<Span> spans = new ArrayList<>();
      for (JsonNode s : r.path("lines")) {
        spans.add(new Span(text(s, "path"), s.path("first").asLong(), s.path("last").asLong()));
      }
      runs.add(
          new Run(
              text(r, "dir"),
              r.path("input_lines").asLong(),
              r.path("accepted").asLong(),
              r.path("rejected").asLong(),
              reasons,
              r.path("accepted_hours").asDouble(),
              r.path("status").asText("ok"),
              spans));
    }
    return new PrepareState(config, manifests, runs);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("an entry has no '" + field + "': " + n);
    }
    return Objects.requireNonNull(v.asText());
  }
}
