package io.nautilus.shard.job;

import io.nautilus.io.CommitMarker;
import io.nautilus.io.CommitProtocol;
import io.nautilus.io.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The versions of a shard set that {@code shard --append} grew, named as NeMo's tarred-dataset
 * concatenation names them: version 0 is the first run's set ({@code tarred_audio_manifest.json},
 * {@code metadata.yaml}); each append adds shards after the existing ones and writes version {@code
 * v}'s files under new names ({@code tarred_audio_manifest_version_{v}.json}, {@code
 * metadata_version_{v}.yaml}, and ours: {@code shard_index_version_{v}.json}, ...). No committed
 * file is ever rewritten.
 *
 * <p>{@code metadata_version_{v}.yaml} is written last: where rename is atomic its appearing is the
 * commit of version {@code v}; on a marker store the commit is the marker's rewrite listing it.
 * Files of a later version that was never committed are leftovers of a killed run.
 */
final class ShardVersions {
  private static final Pattern VERSIONED = Pattern.compile(".*_version_(\\d+)\\.[a-z]+$");
  private static final Pattern METADATA = Pattern.compile("metadata_version_(\\d+)\\.yaml");
  private static final Pattern SHARD_FILE =
      Pattern.compile("(?:audio_(\\d+)\\.tar|sharded_manifests/manifest_(\\d+)\\.json)");

  private ShardVersions() {}

  static String manifest(int v) {
    return v == 0 ? ShardJob.TARRED_MANIFEST : "tarred_audio_manifest_version_" + v + ".json";
  }

  static String metadata(int v) {
    return v == 0 ? ShardJob.METADATA : "metadata_version_" + v + ".yaml";
  }

  static String index(int v) {
    return v == 0 ? ShardJob.INDEX : "shard_index_version_" + v + ".json";
  }

  static String remainder(int v) {
    return v == 0 ? ShardJob.REMAINDER : "remainder_manifest_version_" + v + ".json";
  }

  static String stats(int v) {
    return v == 0 ? ShardJob.STATS : "shard_stats_version_" + v + ".json";
  }

  static String config(int v) {
    return v == 0 ? ShardJob.CONFIG : "config_version_" + v + ".yaml";
  }

  static String state(int v) {
    return v == 0 ? ShardState.FILE : "shard_state_version_" + v + ".json";
  }

  /** The latest committed version of the set at {@code dir} (0 when it was never appended to). */
  static int current(Storage storage, Path dir) throws IOException {
    CommitMarker marker = storage.readMarker(dir);
    Map<String, CommitMarker.Entry> committed = marker == null ? null : marker.byPath();
    int latest = 0;
    FileStatus[] files = storage.fs(dir).listStatus(dir);
    for (FileStatus s : files) {
      Matcher m = METADATA.matcher(s.getPath().getName());
      if (m.matches() && (committed == null || committed.containsKey(s.getPath().getName()))) {
        latest = Math.max(latest, Integer.parseInt(m.group(1)));
      }
    }
    return latest;
  }

  /**
   * Removes what a killed append left in the set at {@code dir}: on a marker store every file its
   * marker does not list; elsewhere shards numbered from {@code shards} on, files of versions after
   * {@code version}, and temporary files.
   *
   * @return the removed files, relative to {@code dir}
   */
  static List<String> removeUncommitted(Storage storage, Path dir, int version, int shards)
      throws IOException {
    CommitMarker marker = storage.readMarker(dir);
    Map<String, CommitMarker.Entry> committed = marker == null ? null : marker.byPath();
    String root = storage.fs(dir).makeQualified(dir).toUri().getPath();
    String prefix = root.endsWith("/") ? root : root + "/";
    List<String> removed = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = storage.fs(dir).listFiles(dir, true);
    List<Path> doomed = new ArrayList<>();
    while (it.hasNext()) {
      Path p = it.next().getPath();
      String rel = p.toUri().getPath().substring(prefix.length());
      if (rel.equals(CommitProtocol.MARKER)) {
        continue;
      }
      boolean uncommitted;
      if (committed != null) {
        uncommitted = !committed.containsKey(rel);
      } else {
        uncommitted = p.getName().startsWith(".") && p.getName().contains(".tmp-");
        Matcher v = VERSIONED.matcher(rel);
        if (v.matches() && Integer.parseInt(v.group(1)) > version) {
          uncommitted = true;
        }
        Matcher s = SHARD_FILE.matcher(rel);
        if (s.matches()) {
          int id = Integer.parseInt(s.group(1) != null ? s.group(1) : s.group(2));
          uncommitted |= id >= shards;
        }
      }
      if (uncommitted) {
        doomed.add(p);
        removed.add(rel);
      }
    }
    for (Path p : doomed) {
      storage.deleteRecursively(p);
    }
    return removed;
  }
}
