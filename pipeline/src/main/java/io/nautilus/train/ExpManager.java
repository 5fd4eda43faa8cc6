package io.nautilus.train;

import io.nautilus.io.Storage;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The experiment folder {@code exp_dir/name/version/}, as NeMo's exp_manager lays it out: {@code
 * hparams.yaml} (the resolved config), {@code cmd-args.log}, {@code checkpoints/}, TensorBoard
 * event files and {@code metrics.csv}.
 */
public final class ExpManager {
  static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

  private ExpManager() {}

  /**
   * Picks the version folder: the configured version; with {@code resume_if_exists} the newest
   * existing one (NeMo makes no new version when resuming); else a new timestamp or {@code
   * version_N}.
   */
  public static Path versionDir(Storage storage, TrainOptions o, LocalDateTime now)
      throws IOException {
    Path expDir = new Path(storage.qualify(o.expDir()), o.expName());
    if (o.version() != null) {
      return new Path(expDir, o.version());
    }
    List<String> existing = new ArrayList<>();
    if (storage.exists(expDir)) {
      for (FileStatus s : storage.fs(expDir).listStatus(expDir)) {
        if (s.isDirectory() && !s.getPath().getName().startsWith(".")) {
          existing.add(s.getPath().getName());
        }
      }
    }
    existing.sort(ExpManager::compareVersions);
    if (o.resumeIfExists() && !existing.isEmpty()) {
      return new Path(expDir, existing.get(existing.size() - 1));
    }
    if (o.useDatetimeVersion()) {
      String stamp = now.format(DATETIME);
      String name = stamp;
      for (int i = 1; existing.contains(name); i++) {
        name = stamp + "_" + i;
      }
      return new Path(expDir, name);
    }
    int next = 0;
    for (String v : existing) {
      if (v.matches("version_\\d+")) {
        next = Math.max(next, Integer.parseInt(v.substring(8)) + 1);
      }
    }
    return new Path(expDir, "version_" + next);
  }

  /** Orders version_N numerically and timestamps as text, so the newest sorts last. */
  static int compareVersions(String a, String b) {
    boolean va = a.matches("version_\\d+");
    boolean vb = b.matches("version_\\d+");
    if (va && vb) {
      return Long.compare(Long.parseLong(a.substring(8)), Long.parseLong(b.substring(8)));
    }
    return a.compareTo(b);
  }

  /** Creates the folder and writes {@code hparams.yaml} and {@code cmd-args.log}. */
  public static void prepare(Storage storage, Path versionDir, String resolvedYaml, String cmdArgs)
      throws IOException {
    storage.mkdirs(new Path(versionDir, "checkpoints"));
    storage.writeString(new Path(versionDir, "hparams.yaml"), resolvedYaml);
    Path log = new Path(versionDir, "cmd-args.log");
    String previous = storage.exists(log) ? storage.readString(log) : "";
    storage.writeString(log, previous + cmdArgs + "\n");
  }
}
