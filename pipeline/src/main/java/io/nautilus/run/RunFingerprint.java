package io.nautilus.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nautilus.io.JsonHeader;
import io.nautilus.io.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * What decides a job's result: its config (without the keys that only say where or how fast it
 * runs) and each input's location, length and SHA-256. Written with the output, so a re-run can
 * tell whether the output already holds exactly its result.
 *
 * <pre>{"format": "nautilus-run", "version": 1, "job": "prepare", "config": {"filter.min_duration":
 * "0.1", ...}, "inputs": [{"path": "file:/data/m.json", "length": 1234, "sha256": "..."}]}</pre>
 */
public record RunFingerprint(String job, Map<String, String> config, List<Input> inputs) {
  /** The file name, in the output's folder. */
  public static final String FILE = "run_fingerprint.json";

  static final String FORMAT = "nautilus-run";
  static final int VERSION = 1;

  /**
   * Keys left out of every fingerprint: where the output goes, the flags that say how to treat an
   * existing one, and Spark settings (they change speed and placement, never the bytes written).
   */
  static final Set<String> RUN_KEYS =
      Set.of("output.dir", "output.overwrite", "output.incremental", "output.append");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One input: a file, or a folder summarised by its data files. */
  public record Input(String path, long length, String sha256) {
    public Input {
      Objects.requireNonNull(path, "path is null");
      Objects.requireNonNull(sha256, "sha256 is null");
    }
  }

  public RunFingerprint {
    Objects.requireNonNull(job, "job is null");
    config = new TreeMap<>(config);
    inputs = List.copyOf(inputs);
  }

  /**
   * A fingerprint from a resolved config (YAML, as written to config.yaml) and digested inputs.
   *
   * @param inputKey the config key listing the inputs; they are compared through {@code inputs}
   */
  public static RunFingerprint of(
      String job, String resolvedConfig, String inputKey, List<Input> inputs) {
    Map<String, String> flat = new TreeMap<>();
    try {
      flatten("", new ObjectMapper(new YAMLFactory()).readTree(resolvedConfig), flat);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot fingerprint the resolved config: it is not YAML: " + e.getMessage(), e);
    }
    flat.keySet().removeIf(k -> RUN_KEYS.contains(k) || k.equals(inputKey) || isSpark(k));
    return new RunFingerprint(job, flat, inputs);
  }

  private static boolean isSpark(String key) {
    return key.equals("spark") || key.startsWith("spark.");
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else if (node.isValueNode()) {
      out.put(prefix, node.isNull() ? "null" : node.asText());
    } else {
      out.put(prefix, node.toString());
    }
  }

  /**
   * The fingerprint of a job that reads JSONL manifests: the config plus each manifest's content.
   *
   * @throws UsageException if a manifest cannot be read
   */
  public static RunFingerprint ofManifests(
      Storage storage, String job, String resolvedConfig, List<Path> manifests) {
    List<Input> inputs = new java.util.ArrayList<>();
    for (Path m : manifests) {
      try {
        inputs.add(digestFile(storage, m));
      } catch (IOException e) {
        throw new UsageException("Cannot read manifest " + m + ": " + e.getMessage(), e);
      }
    }
    return of(job, resolvedConfig, "input.manifests", inputs);
  }

  /** Length and SHA-256 of one file. */
  public static Input digestFile(Storage storage, Path file) throws IOException {
    MessageDigest md = sha256();
    long length = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = storage.open(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        length += n;
      }
    }
    return new Input(file.toString(), length, HexFormat.of().formatHex(md.digest()));
  }

  /**
   * A folder's data files (names not starting with '_' or '.', recursively) as one input: their
   * total length and a SHA-256 over their contents in name order. Names are left out: Spark names
   * part files with a random id per write, so the same data rewritten gets new names.
   */
  public static Input digestDir(Storage storage, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    collect(storage, dir, files);
    files.sort(null);
    MessageDigest md = sha256();
    long length = 0;
    for (Path f : files) {
      Input one = digestFile(storage, f);
      md.update(one.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      length += one.length();
    }
    return new Input(dir.toString(), length, HexFormat.of().formatHex(md.digest()));
  }

  private static void collect(Storage storage, Path dir, List<Path> out) throws IOException {
    for (FileStatus s : storage.fs(dir).listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (s.isDirectory()) {
        collect(storage, s.getPath(), out);
      } else {
        out.add(s.getPath());
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash inputs: this JVM has no SHA-256", e);
    }
  }

  /**
   * What differs from an earlier run's fingerprint, one short phrase each, for a message: changed
   * config values, and inputs added, removed or changed. Empty when the two runs are the same.
   */
  public List<String> differencesFrom(RunFingerprint earlier) {
    List<String> d = new ArrayList<>();
    if (!job.equals(earlier.job)) {
      d.add("it was written by " + earlier.job + ", not " + job);
      return d;
    }
    d.addAll(configDifferencesFrom(earlier.config));
    Map<String, Input> before = byPath(earlier.inputs);
    Map<String, Input> now = byPath(inputs);
    for (Input i : inputs) {
      Input b = before.get(i.path());
      if (b == null) {
        d.add("input " + Outputs.display(i.path()) + " is new");
      } else if (b.length() != i.length()) {
        d.add(
            String.format(
                Locale.ROOT,
                "input %s changed (%d bytes, was %d)",
                Outputs.display(i.path()),
                i.length(),
                b.length()));
      } else if (!b.sha256().equals(i.sha256())) {
        d.add("input " + Outputs.display(i.path()) + " changed (same length, other content)");
      }
    }
    for (Input b : earlier.inputs) {
      if (!now.containsKey(b.path())) {
        d.add("input " + Outputs.display(b.path()) + " is no longer read");
      }
    }
    if (d.isEmpty() && !inputs.equals(earlier.inputs)) {
      d.add("the inputs are listed in another order");
    }
    return d;
  }

  /** Config keys whose values differ from {@code earlier}, as {@code key: old -> new}. */
  public List<String> configDifferencesFrom(Map<String, String> earlier) {
    List<String> d = new ArrayList<>();
    Map<String, String> all = new TreeMap<>(earlier);
    all.putAll(config);
    for (String key : all.keySet()) {
      String was = earlier.get(key);
      String is = config.get(key);
      if (!Objects.equals(was, is)) {
        d.add(
            key + ": " + (was == null ? "(unset)" : was) + " -> " + (is == null ? "(unset)" : is));
      }
    }
    return d;
  }

  private static Map<String, Input> byPath(List<Input> inputs) {
    Map<String, Input> m = new LinkedHashMap<>();
    inputs.forEach(i -> m.put(i.path(), i));
    return m;
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toNode()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write run fingerprint as JSON", e);
    }
  }

  /** The fingerprint as a JSON object, to embed in a job's state file. */
  public ObjectNode toNode() {
    ObjectNode root = JSON.createObjectNode();
    JsonHeader.put(root, FORMAT, VERSION);
    root.put("job", job);
    ObjectNode c = root.putObject("config");
    config.forEach(c::put);
    root.set("inputs", inputsNode(inputs));
    return root;
  }

  /** Inputs as a JSON array of {path, length, sha256}. */
  public static ArrayNode inputsNode(List<Input> inputs) {
    ArrayNode list = JSON.createArrayNode();
    for (Input i : inputs) {
      list.addObject().put("path", i.path()).put("length", i.length()).put("sha256", i.sha256());
    }
    return list;
  }

  /** Inputs from {@link #inputsNode}. */
  public static List<Input> inputsOf(JsonNode list) {
    List<Input> out = new ArrayList<>();
    for (JsonNode i : list) {
      out.add(
          new Input(i.path("path").asText(), i.path("length").asLong(), i.path("sha256").asText()));
    }
    return out;
  }

  /**
   * Parses a fingerprint.
   *
   * @throws IllegalArgumentException when it is not one, or of an unsupported version
   */
  public static RunFingerprint parse(String json) {
    try {
      return fromNode(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read run fingerprint: it is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A fingerprint from {@link #toNode}. */
  public static RunFingerprint fromNode(JsonNode root) {
    JsonHeader.check(root, FORMAT, VERSION, "Cannot read run fingerprint: ");
    Map<String, String> config = new TreeMap<>();
    root.path("config")
        .fields()
        .forEachRemaining(f -> config.put(f.getKey(), f.getValue().asText()));
    return new RunFingerprint(root.path("job").asText(), config, inputsOf(root.path("inputs")));
  }
}
