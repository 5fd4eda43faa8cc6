package io.nautilus.shard.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.audio.AudioInfo;
import io.nautilus.audio.AudioProbe;
import io.nautilus.io.CommitMarker;
import io.nautilus.io.CommitProtocol;
import io.nautilus.io.Storage;
import io.nautilus.shard.Md5CountingOutputStream;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardFormatException;
import io.nautilus.shard.TarSampleReader;
import io.nautilus.shard.WidsIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Checks a shard set against its manifests and index: committed state, counts, member names,
 * checksums and sizes, durations and sample rate. Reads every tar through the same refusing reader
 * the trainer uses, so hostile members are reported, never extracted.
 */
public final class ShardVerifier {
  private static final Pattern SUB = Pattern.compile("^(.*)-sub\\d+(\\.[^.]+)$");
  private static final double DURATION_TOLERANCE = 0.01;

  private final Storage storage;

  public ShardVerifier(Storage storage) {
    this.storage = storage;
  }

  /** The result: what was checked, and every problem found (empty when the set is sound). */
  public record Report(int shards, long samples, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public Report verify(String location) {
    Path root = storage.qualify(location);
    List<String> problems = new ArrayList<>();
    int[] shards = {0};
    long[] samples = {0};
    try {
      switch (storage.setState(root)) {
        case ABSENT -> {
          problems.add("no shard set at " + location);
          return new Report(0, 0, problems);
        }
        case UNCOMMITTED -> {
          problems.add(
              "no shard set at "
                  + location
                  + ": files but no commit marker ("
                  + CommitProtocol.MARKER
                  + "), so the run that wrote them did not finish; run shard again");
          return new Report(0, 0, problems);
        }
        case COMMITTED -> {}
      }
      CommitMarker marker = storage.readMarker(root);
      Map<String, CommitMarker.Entry> committed = Map.of();
      if (marker != null) {
        // Tars are read whole below; their MD5 is compared there, not read twice.
        for (String p : marker.check(storage.fs(root), root, name -> !name.endsWith(".tar"))) {
          problems.add(p);
        }
        committed = marker.byPath();
      }
      List<Path> dirs = new ArrayList<>();
      for (int b = 1; storage.exists(new Path(root, "bucket" + b)); b++) {
        dirs.add(new Path(root, "bucket" + b));
      }
      if (dirs.isEmpty()) {
        dirs.add(root);
      }
      for (Path dir : dirs) {
        String prefix = dir.equals(root) ? "" : dir.getName() + "/";
        verifyDir(dir, prefix, committed, problems, shards, samples);
      }
    } catch (IOException e) {
      problems.add("cannot read " + location + ": " + e.getMessage());
    }
    return new Report(shards[0], samples[0], problems);
  }

  private void verifyDir(
      Path dir,
      String prefix,
      Map<String, CommitMarker.Entry> committed,
      List<String> problems,
      int[] shardCount,
      long[] sampleCount)
      throws IOException {
    String where = dir.getName() + "/";
    FileStatus[] leftovers =
        storage.fs(dir).globStatus(new Path(dir, "{,sharded_manifests/}.*.tmp-*"));
    if (leftovers != null) {
      for (FileStatus s : leftovers) {
        problems.add(where + s.getPath().getName() + ": an uncommitted temporary file");
      }
    }
    // An appended set is checked as its latest committed version: every shard so far.
    int version = ShardVersions.current(storage, dir);
    String indexName = ShardVersions.index(version);
    Path indexPath = new Path(dir, indexName);
    if (!storage.exists(indexPath)) {
      problems.add(where + indexName + " is missing: the shard set was never committed");
      return;
    }
    WidsIndex index;
    try (InputStream in = storage.open(indexPath)) {
      index = WidsIndex.read(in);
    } catch (RuntimeException e) {
      problems.add(where + indexName + " does not parse: " + e.getMessage());
      return;
    }
    Integer rate = expectedRate(new Path(dir, ShardVersions.metadata(version)));
    Set<String> listed = new HashSet<>();
    long total = 0;
    for (int i = 0; i < index.shards().size(); i++) {
      WidsIndex.Shard s = index.shards().get(i);
      listed.add(s.url());
      shardCount[0]++;
      total += s.nsamples();
      verifyShard(dir, i, s, rate, committed.get(prefix + s.url()), problems);
    }
    sampleCount[0] += total;
    for (FileStatus s : storage.fs(dir).listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.endsWith(".tar") && !listed.contains(name)) {
        problems.add(where + name + ": a tar that the index does not list");
      }
    }
    String manifestName = ShardVersions.manifest(version);
    Path all = new Path(dir, manifestName);
    if (!storage.exists(all)) {
      problems.add(where + manifestName + " is missing");
    } else {
      long lines = storage.readString(all).lines().count();
      if (lines != total) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s%s has %d entries, the shards hold %d",
                where,
                manifestName,
                lines,
                total));
      }
    }
  }

  private void verifyShard(
      Path dir,
      int i,
      WidsIndex.Shard s,
      Integer rate,
      CommitMarker.Entry committed,
      List<String> problems)
      throws IOException {
    String where = dir.getName() + "/" + s.url();
    Path tar = new Path(dir, s.url());
    if (!storage.exists(tar)) {
      problems.add(where + ": listed in the index but missing");
      return;
    }
    Map<String, Double> members = new HashMap<>();
    Md5CountingOutputStream md5 = new Md5CountingOutputStream(OutputStream.nullOutputStream());
    try (InputStream raw = storage.open(tar);
        InputStream in = new TeeInputStream(raw, md5);
        TarSampleReader reader = new TarSampleReader(in, s.url())) {
      for (Sample sample : reader) {
        for (Map.Entry<String, byte[]> m : sample.members().entrySet()) {
          String name = sample.key() + "." + m.getKey();
          try {
            AudioInfo info = AudioProbe.validate(new ByteArrayInputStream(m.getValue()), name);
            members.put(name, info.durationSeconds());
            if (rate != null && info.sampleRate() != rate) {
              problems.add(
                  where + ": " + name + " is " + info.sampleRate() + " Hz, expected " + rate);
            }
          } catch (AudioFormatException e) {
            problems.add(where + ": " + name + " does not decode: " + e.getMessage());
            members.put(name, null);
          }
        }
      }
      in.transferTo(OutputStream.nullOutputStream());
    } catch (ShardFormatException | UncheckedIOException e) {
      problems.add(where + ": refused by the reader: " + e.getMessage());
      return;
    }
    if (s.filesize() != null && md5.count() != s.filesize()) {
      problems.add(where + ": " + md5.count() + " bytes, the index says " + s.filesize());
    }
    if (s.md5sum() != null && !md5.md5Hex().equals(s.md5sum())) {
      problems.add(where + ": md5 " + md5.md5Hex() + " differs from the index's " + s.md5sum());
    }
    if (committed != null && !md5.md5Hex().equals(committed.md5())) {
      problems.add(
          where
              + ": md5 "
              + md5.md5Hex()
              + " differs from "
              + CommitProtocol.MARKER
              + "'s "
              + committed.md5());
    }
    Path manifest = new Path(dir, "sharded_manifests/manifest_" + i + ".json");
    if (!storage.exists(manifest)) {
      problems.add(where + ": sharded_manifests/manifest_" + i + ".json is missing");
      return;
    }
    ObjectMapper json = new ObjectMapper();
    Set<String> referenced = new HashSet<>();
    long entries = 0;
    for (String line : storage.readString(manifest).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      entries++;
      JsonNode e = json.readTree(line);
      String name = e.path("audio_filepath").asText();
      Matcher sub = SUB.matcher(name);
      String member =
          sub.matches() && !members.containsKey(name) ? sub.group(1) + sub.group(2) : name;
      referenced.add(member);
      if (!members.containsKey(member)) {
        problems.add(where + ": manifest entry " + name + " has no member in the tar");
        continue;
      }
      if (e.path("shard_id").asInt(-1) != i) {
        problems.add(
            where
                + ": manifest entry "
                + name
                + " has shard_id "
                + e.path("shard_id")
                + ", expected "
                + i);
      }
      Double d = members.get(member);
      if (d != null
          && !e.has("offset")
          && Math.abs(e.path("duration").asDouble() - d) > DURATION_TOLERANCE) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s: %s lasts %.3f s, its manifest entry says %.3f s",
                where,
                name,
                d,
                e.path("duration").asDouble()));
      }
    }
    for (String m : members.keySet()) {
      if (!referenced.contains(m)) {
        problems.add(where + ": member " + m + " is in no manifest entry");
      }
    }
    if (entries != s.nsamples()) {
      problems.add(
          where + ": manifest has " + entries + " entries, the index says " + s.nsamples());
    }
  }

  private Integer expectedRate(Path meta) throws IOException {
    if (!storage.exists(meta)) {
      return null;
    }
    JsonNode m =
        new ObjectMapper(new YAMLFactory())
            .readTree(storage.readString(meta).getBytes(StandardCharsets.UTF_8));
    JsonNode r = m.path("dataset_config").path("sample_rate");
    return r.isNumber() ? r.asInt() : null;
  }

  /** Copies what is read into a second stream, to checksum the tar while reading it. */
  private static final class TeeInputStream extends java.io.FilterInputStream {
    private final OutputStream copy;

    TeeInputStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }
}
