package io.nautilus.shard.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.io.AttemptFile;
import io.nautilus.io.Storage;
import io.nautilus.shard.Md5CountingOutputStream;
import io.nautilus.shard.NemoMemberDeduper;
import io.nautilus.shard.NemoMemberRef;
import io.nautilus.shard.UstarWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes whole shards: the rows of a partition arrive sorted by (bucket, shard, pos), and every
 * shard's tar and manifest are published only when the shard is complete (renamed from temporary
 * names, or uploads completed, by the store's commit protocol). A retried task rewrites its shards
 * byte for byte and replaces what a failed attempt may have published.
 */
final class ShardWriter implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  static final StructType RESULT =
      new StructType()
          .add("bucket", DataTypes.IntegerType, false)
          .add("shard_id", DataTypes.IntegerType, false)
          .add("nsamples", DataTypes.LongType, false)
          .add("nmembers", DataTypes.LongType, false)
          .add("bytes", DataTypes.LongType, false)
          .add("md5", DataTypes.StringType, false)
          .add("seconds", DataTypes.DoubleType, false);

  /** Input columns, in the order {@link #call} reads them. */
  static final String[] INPUT = {
    ShardPlan.BUCKET,
    ShardPlan.SHARD,
    ShardPlan.POS,
    "audio_filepath",
    "offset",
    "duration",
    "manifest_line",
    "source"
  };

  private final Storage storage;
  private final String root;
  private final ShardOptions options;
  private final boolean bucketDirs;

  ShardWriter(Storage storage, String root, ShardOptions options, boolean bucketDirs) {
    this.storage = storage;
    this.root = root;
    this.options = options;
    this.bucketDirs = bucketDirs;
  }

  static Path bucketDir(Path root, int bucket, boolean bucketDirs) {
    return bucketDirs ? new Path(root, "bucket" + (bucket + 1)) : root;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws IOException {
    List<Row> results = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    String attemptTag = task == null ? "0" : String.valueOf(task.taskAttemptId());
    OpenShard open = null;
    long written = 0;
    try {
      while (rows.hasNext()) {
        Row r = rows.next();
        int bucket = r.getInt(0);
        int shard = r.getInt(1);
        if (open == null || open.bucket != bucket || open.shard != shard) {
          if (open != null) {
            results.add(open.commit());
          }
          open = new OpenShard(bucket, shard, attemptTag);
        }
        open.add(json, r);
        written++;
        if (options.failAfterSamples() > 0
            && attempt == 0
            && written == options.failAfterSamples()) {
          throw new IllegalStateException(
              "injected failure after " + written + " samples (debug.fail_after_samples)");
        }
      }
      if (open != null) {
        results.add(open.commit());
        open = null;
      }
    } finally {
      if (open != null) {
        open.abandon();
      }
    }
    return results.iterator();
  }

  /** One shard being written. */
  private final class OpenShard {
    final int bucket;
    final int shard;
    final AttemptFile tar;
    final AttemptFile manifest;
    final Md5CountingOutputStream counted;
    final UstarWriter tarWriter;
    final OutputStream manifestOut;
    final NemoMemberDeduper deduper = new NemoMemberDeduper();
    long samples;
    double seconds;

    OpenShard(int bucket, int shard, String attemptTag) throws IOException {
      this.bucket = bucket;
      this.shard = shard;
      Path dir = bucketDir(new Path(root), bucket, bucketDirs);
      tar = storage.createFile(new Path(dir, "audio_" + shard + ".tar"), attemptTag);
      AttemptFile m = null;
      try {
        m =
            storage.createFile(
                new Path(dir, "sharded_manifests/manifest_" + shard + ".json"), attemptTag);
      } finally {
        if (m == null) {
          tar.close();
        }
      }
      manifest = m;
      counted = new Md5CountingOutputStream(new BufferedOutputStream(tar.stream(), 1 << 20));
      tarWriter = new UstarWriter(counted);
      manifestOut = new BufferedOutputStream(manifest.stream());
    }

    void add(ObjectMapper json, Row r) throws IOException {
      String audio = r.getString(3);
      Double offset = r.isNullAt(4) ? null : r.getDouble(4);
      double duration = r.getDouble(5);
      boolean slice = options.sliceWithOffset() && offset != null;
      boolean encode = options.transcodes() || slice;
      String ext =
          slice && options.codec() == ShardOptions.Codec.COPY
              ? ".wav"
              : MemberAudio.extension(options);
      Double sliceOffset = slice ? offset : null;
      Double sliceDuration = slice ? duration : null;
      String naming =
          MemberNames.namingPath(
              MemberNames.manifestRelative(audio, r.getString(7)), ext, sliceOffset, sliceDuration);
      NemoMemberRef ref;
      try {
        ref = deduper.reference(naming);
      } catch (IllegalArgumentException collision) {
        // Two different files squash to one NeMo name (say wavs/a.wav beside two manifests): keep
        // both, under a name hashed from the full location.
        ref =
            deduper.reference(
                MemberNames.hashedPath(
                    MemberNames.namingPath(audio, ext, sliceOffset, sliceDuration), ext));
      }
      double stored = duration;
      if (ref.store()) {
        Path src = new Path(audio);
        try (InputStream in = storage.open(src)) {
          if (encode) {
            MemberAudio.Encoded e =
                MemberAudio.encode(
                    in, audio, options, slice ? offset : null, slice ? duration : null);
            tarWriter.putFile(
                ref.memberName(), e.bytes().length, new ByteArrayInputStream(e.bytes()));
            stored = slice ? e.seconds() : duration;
          } else {
            long size = storage.fs(src).getFileStatus(src).getLen();
            tarWriter.putFile(ref.memberName(), size, in);
          }
        } catch (AudioFormatException e) {
          throw new IOException(
              "Cannot shard " + audio + ": it no longer decodes: " + e.getMessage(), e);
        }
      }
      ObjectNode entry = rewrite(json, r.getString(6), ref.manifestName(), slice, stored);
      manifestOut.write(json.writeValueAsBytes(entry));
      manifestOut.write('\n');
      samples++;
      seconds += stored;
    }

    ObjectNode rewrite(ObjectMapper json, String line, String name, boolean slice, double duration)
        throws IOException {
      JsonNode in = json.readTree(line);
      ObjectNode out = json.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = in.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        switch (f.getKey()) {
          case "audio_filepath" -> out.put("audio_filepath", name);
          case "offset" -> {
            if (!slice) {
              out.set("offset", f.getValue());
            }
          }
          case "duration" -> out.put("duration", duration);
          case "shard_id" -> {}
          default -> out.set(f.getKey(), f.getValue());
        }
      }
      out.put("shard_id", shard);
      return out;
    }

    Row commit() throws IOException {
      tarWriter.close();
      manifestOut.flush();
      tar.publish();
      manifest.publish();
      return RowFactory.create(
          bucket,
          shard,
          samples,
          (long) deduper.storedMembers(),
          counted.count(),
          counted.md5Hex(),
          seconds);
    }

    /** Discards both files; the attempt failed already, so only the first error is kept. */
    void abandon() {
      try (AttemptFile t = tar;
          AttemptFile m = manifest) {
        // Closing unpublished files discards them.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
