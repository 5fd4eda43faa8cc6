package io.nautilus.train.data;

import io.nautilus.io.Storage;
import io.nautilus.shard.ShardPatterns;
import io.nautilus.shard.TarSampleReader;
import io.nautilus.shard.WidsIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A training dataset's shards with their sample counts, resolved once on the driver so that every
 * rank agrees on the number of steps per epoch before reading a byte.
 *
 * @param urls fully qualified shard locations, in dataset order
 * @param counts samples in each shard (manifest entries for NeMo tarred audio)
 * @param manifests for NeMo tarred audio, each shard's {@code sharded_manifests/manifest_{i}.json}
 *     (the transcripts live there, not in the tar); empty for WebDataset shards
 */
public record ShardSet(List<String> urls, List<Long> counts, List<String> manifests)
    implements Serializable {
  public ShardSet {
    urls = List.copyOf(urls);
    counts = List.copyOf(counts);
    manifests = List.copyOf(manifests);
    if (urls.size() != counts.size()) {
      throw new IllegalArgumentException(
          "Cannot describe shards: " + urls.size() + " urls but " + counts.size() + " counts");
    }
    if (!manifests.isEmpty() && manifests.size() != urls.size()) {
      throw new IllegalArgumentException(
          "Cannot describe shards: "
              + urls.size()
              + " urls but "
              + manifests.size()
              + " manifests");
    }
  }

  public ShardSet(List<String> urls, List<Long> counts) {
    this(urls, counts, List.of());
  }

  /** The manifest of shard {@code url}, or null for WebDataset shards. */
  public String manifestOf(String url) {
    int i = urls.indexOf(url);
    return i < 0 || manifests.isEmpty() ? null : manifests.get(i);
  }

  public long totalSamples() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Resolves each location to shards. A folder written by {@code shard} is read through its index:
   * the wids index ({@code *.wids.json}) of WebDataset shards, or {@code sharded_manifests/} of
   * NeMo tarred audio. Anything else is a shard path or pattern ({@code {000..009}}, {@code
   * _OP_0..9_CL_}, globs), whose samples are counted by reading the tar headers.
   */
  public static ShardSet resolve(Storage storage, List<String> locations) throws IOException {
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("Cannot find training shards: no location given");
    }
    List<String> urls = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<String> manifests = new ArrayList<>();
    for (String location : locations) {
      Path path = storage.qualify(location);
      boolean isDir = storage.exists(path) && !storage.isFile(path);
      if (isDir) {
        storage.requireCommitted(path, "training shards");
        addFolder(storage, path, urls, counts, manifests);
      } else {
        for (String shard : ShardPatterns.expand(path.toString())) {
          addCounted(storage, shard, urls, counts);
        }
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("Cannot find training shards in " + locations);
    }
    if (!manifests.isEmpty() && manifests.size() != urls.size()) {
      throw new IllegalArgumentException(
          "Cannot mix NeMo tarred audio with other shards in one dataset: " + locations);
    }
    return new ShardSet(urls, counts, manifests);
  }

  private static void addFolder(
      Storage storage, Path dir, List<String> urls, List<Long> counts, List<String> manifests)
      throws IOException {
    FileStatus[] wids = storage.fs(dir).globStatus(new Path(dir, "*.wids.json"));
    if (wids != null && wids.length == 1) {
      WidsIndex index;
      try (InputStream in = storage.open(wids[0].getPath())) {
        index = WidsIndex.read(in);
      }
      for (WidsIndex.Shard s : index.shards()) {
        urls.add(new Path(dir, s.url()).toString());
        counts.add(s.nsamples());
      }
      return;
    }
    Path sharded = new Path(dir, "sharded_manifests");
    if (storage.exists(sharded)) {
      for (int i = 0; ; i++) {
        Path tar = new Path(dir, "audio_" + i + ".tar");
        if (!storage.exists(tar)) {
          break;
        }
        Path manifest = new Path(sharded, "manifest_" + i + ".json");
        urls.add(tar.toString());
        counts.add(countLines(storage, manifest));
        manifests.add(manifest.toString());
      }
      return;
    }
    throw new IllegalArgumentException(
        "Cannot find training shards in "
            + dir
            + ": it holds neither a wids index (*.wids.json) nor sharded_manifests/; give the"
            + " shard files or a pattern instead");
  }

  private static long countLines(Storage storage, Path manifest) throws IOException {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(storage.open(manifest), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isBlank()).count();
    }
  }

  private static void addCounted(
      Storage storage, String shard, List<String> urls, List<Long> counts) throws IOException {
    long n = 0;
    try (TarSampleReader r = new TarSampleReader(storage.open(new Path(shard)), shard)) {
      while (r.hasNext()) {
        r.next();
        n++;
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    urls.add(shard);
    counts.add(n);
  }
}
