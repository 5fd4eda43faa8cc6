package io.nautilus.prepare;

import io.nautilus.audio.AudioFormatException;
import io.nautilus.audio.AudioInfo;
import io.nautilus.audio.AudioProbe;
import io.nautilus.io.MediaPaths;
import io.nautilus.io.Storage;
import io.nautilus.run.Iterators;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The mapPartitions stage of prepare: resolves each record's media path, keeps it inside the
 * allowed roots, opens it through the storage layer, decodes it, and measures it.
 *
 * <p>Records that already carry a reject reason pass through untouched. A file named by several
 * records of a partition is read once.
 */
final class MediaProbe implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CACHE_ENTRIES = 4096;

  static final String RESOLVED = "resolved_path";
  static final String FILE_DURATION = "file_duration";
  static final String SAMPLE_RATE = "sample_rate";
  static final String CHANNELS = "channels";
  static final String ENCODING = "encoding";
  static final String CONTENT_HASH = "content_hash";
  static final String FILE_BYTES = "file_bytes";

  private final Storage storage;
  private final MediaPaths paths;
  private final boolean fullDecode;
  private final StructType inSchema;

  MediaProbe(Storage storage, MediaPaths paths, boolean fullDecode, StructType inSchema) {
    this.storage = storage;
    this.paths = paths;
    this.fullDecode = fullDecode;
    this.inSchema = inSchema;
  }

  static StructType outSchema(StructType in) {
    return in.add(RESOLVED, DataTypes.StringType, true)
        .add(FILE_DURATION, DataTypes.DoubleType, true)
        .add(SAMPLE_RATE, DataTypes.IntegerType, true)
        .add(CHANNELS, DataTypes.IntegerType, true)
        .add(ENCODING, DataTypes.StringType, true)
        .add(CONTENT_HASH, DataTypes.StringType, true)
        .add(FILE_BYTES, DataTypes.LongType, true);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    int reasonIdx = inSchema.fieldIndex(Check.REASON);
    int messageIdx = inSchema.fieldIndex(Check.MESSAGE);
    int sourceIdx = inSchema.fieldIndex(ManifestLines.SOURCE);
    int refIdx = inSchema.fieldIndex(RecordChecks.AUDIO_REF);
    int width = inSchema.size();
    Map<String, Outcome> cache =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
            return size() > CACHE_ENTRIES;
          }
        };
    return Iterators.map(
        rows,
        row -> {
          Object[] v = new Object[width + 7];
          for (int i = 0; i < width; i++) {
            v[i] = row.get(i);
          }
          if (!row.isNullAt(reasonIdx)) {
            return RowFactory.create(v);
          }
          String source = row.getString(sourceIdx);
          String manifestDir = source.substring(0, source.lastIndexOf('/'));
          String resolved;
          try {
            resolved = MediaPaths.resolve(manifestDir, row.getString(refIdx));
          } catch (IllegalArgumentException e) {
            v[reasonIdx] = RejectReason.PATH_OUTSIDE_ROOTS.name();
            v[messageIdx] = "Cannot resolve the audio path: " + e.getMessage();
            return RowFactory.create(v);
          }
          v[width] = resolved;
          if (!paths.isAllowed(resolved, manifestDir)) {
            v[reasonIdx] = RejectReason.PATH_OUTSIDE_ROOTS.name();
            v[messageIdx] =
                "the audio path "
                    + row.getString(refIdx)
                    + " resolves to "
                    + resolved
                    + ", outside the allowed roots "
                    + paths.effectiveRoots(manifestDir)
                    + " (set input.allowed_roots to allow it)";
            return RowFactory.create(v);
          }
          Outcome out = cache.computeIfAbsent(resolved, MediaProbe.this::probe);
          if (out.reason != null) {
            v[reasonIdx] = out.reason.name();
            v[messageIdx] = out.message;
          } else {
            v[width + 1] = out.info.durationSeconds();
            v[width + 2] = out.info.sampleRate();
            v[width + 3] = out.info.channels();
            v[width + 4] = out.info.encoding().name();
            v[width + 5] = out.hash;
            v[width + 6] = out.bytes;
          }
          return RowFactory.create(v);
        });
  }

  private Outcome probe(String resolved) {
    Path path = new Path(resolved);
    FileStatus status;
    try {
      status = storage.fs(path).getFileStatus(path);
    } catch (FileNotFoundException e) {
      return Outcome.rejected(
          RejectReason.FILE_NOT_FOUND, "the audio file " + resolved + " does not exist");
    } catch (IOException e) {
      return Outcome.rejected(
          RejectReason.IO_ERROR, "Cannot stat " + resolved + ": " + e.getMessage());
    }
    if (status.isDirectory()) {
      return Outcome.rejected(
          RejectReason.FILE_NOT_FOUND,
          "the audio path " + resolved + " is a directory, not a file");
    }
    if (status.getLen() == 0) {
      return Outcome.rejected(
          RejectReason.EMPTY_FILE, "the audio file " + resolved + " has 0 bytes");
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    try (InputStream raw = storage.open(path);
        DigestInputStream in = new DigestInputStream(raw, sha)) {
      AudioInfo info =
          fullDecode ? AudioProbe.validate(in, resolved) : AudioProbe.probeHeader(in, resolved);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return new Outcome(null, null, info, HexFormat.of().formatHex(sha.digest()), status.getLen());
    } catch (AudioFormatException e) {
      return Outcome.rejected(reasonOf(e), e.getMessage());
    } catch (IOException e) {
      return Outcome.rejected(
          RejectReason.IO_ERROR, "Cannot read " + resolved + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // A decoder bug on hostile bytes must cost one record, not the job.
      return Outcome.rejected(RejectReason.CORRUPT_AUDIO, "Cannot decode " + resolved + ": " + e);
    }
  }

  private static RejectReason reasonOf(AudioFormatException e) {
    return switch (e.reason()) {
      case EMPTY_FILE -> RejectReason.EMPTY_FILE;
      case NOT_AUDIO -> RejectReason.NOT_AUDIO;
      case UNSUPPORTED_FORMAT -> RejectReason.UNSUPPORTED_AUDIO;
      case TRUNCATED -> RejectReason.TRUNCATED_AUDIO;
      case CORRUPT -> RejectReason.CORRUPT_AUDIO;
      case ZERO_LENGTH -> RejectReason.ZERO_LENGTH_AUDIO;
    };
  }

  private record Outcome(
      RejectReason reason, String message, AudioInfo info, String hash, long bytes) {
    static Outcome rejected(RejectReason reason, String message) {
      return new Outcome(reason, message, null, null, 0);
    }
  }
}
