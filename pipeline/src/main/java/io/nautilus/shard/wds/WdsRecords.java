package io.nautilus.shard.wds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.image.ImageFormatException;
import io.nautilus.image.ImageInfo;
import io.nautilus.image.ImageProbe;
import io.nautilus.image.ResolutionFilter;
import io.nautilus.io.MediaPaths;
import io.nautilus.io.Storage;
import io.nautilus.prepare.ManifestLines;
import io.nautilus.run.Iterators;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Checks each numbered JSONL line of a WebDataset input: JSON object, configured fields, and the
 * image (inside the roots, present, decodes, passes the resolution filter). Every line comes out,
 * with a reason when it cannot be written.
 */
final class WdsRecords implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  static final StructType SCHEMA =
      new StructType()
          .add(ManifestLines.SOURCE_INDEX, DataTypes.IntegerType, false)
          .add(ManifestLines.SOURCE, DataTypes.StringType, false)
          .add(ManifestLines.LINE_NUMBER, DataTypes.LongType, false)
          .add(ManifestLines.LINE, DataTypes.StringType, false)
          .add(ManifestLines.ORIGINAL_BASE64, DataTypes.StringType, true)
          .add("reason", DataTypes.StringType, true)
          .add("message", DataTypes.StringType, true)
          .add("image_path", DataTypes.StringType, true)
          .add("payload_bytes", DataTypes.LongType, false);

  private final Storage storage;
  private final MediaPaths paths;
  private final WdsOptions o;

  WdsRecords(Storage storage, MediaPaths paths, WdsOptions o) {
    this.storage = storage;
    this.paths = paths;
    this.o = o;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ObjectMapper json = new ObjectMapper();
    return Iterators.map(rows, r -> check(json, r));
  }

  private Row check(ObjectMapper json, Row r) {
    int index = r.getInt(0);
    String source = r.getString(1);
    long number = r.getLong(2);
    String line = r.getString(3);
    int bytes = r.getInt(4);
    boolean utf8 = r.getBoolean(5);
    String original = r.getString(6);
    Outcome res = validate(json, source, line, bytes, utf8);
    return RowFactory.create(
        index,
        source,
        number,
        line,
        original,
        res.reason == null ? null : res.reason.name(),
        res.message,
        res.image,
        res.payload);
  }

  private record Outcome(WdsReason reason, String message, String image, long payload) {
    static Outcome reject(WdsReason reason, String message) {
      return new Outcome(reason, message, null, 0);
    }
  }

  private Outcome validate(ObjectMapper json, String source, String line, int bytes, boolean utf8) {
    if (line.isBlank()) {
      return Outcome.reject(WdsReason.BLANK_LINE, "the line is blank");
    }
    if (bytes > o.maxLineBytes()) {
      return Outcome.reject(
          WdsReason.LINE_TOO_LONG,
          "the line has " + bytes + " bytes, over input.max_line_bytes = " + o.maxLineBytes());
    }
    if (!utf8) {
      return Outcome.reject(
          WdsReason.INVALID_UTF8,
          "the line is not valid UTF-8; its exact bytes are kept in original_base64");
    }
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Outcome.reject(
          WdsReason.MALFORMED_JSON, "the line is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return Outcome.reject(
          WdsReason.NOT_AN_OBJECT,
          "the line is "
              + (node == null ? "empty" : node.getNodeType().name().toLowerCase())
              + ", not a JSON object");
    }
    for (String key : new String[] {o.textKey(), o.imageKey()}) {
      if (key == null) {
        continue;
      }
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return Outcome.reject(WdsReason.MISSING_FIELD, "the record has no " + key);
      }
      if (!v.isTextual()) {
        return Outcome.reject(WdsReason.WRONG_TYPE, key + " must be a string, got " + v);
      }
    }
    long payload = line.length();
    if (o.textKey() != null) {
      payload += node.get(o.textKey()).asText().length();
    }
    if (o.imageKey() == null) {
      return new Outcome(null, null, null, payload);
    }
    String dir = source.substring(0, source.lastIndexOf('/'));
    String ref = node.get(o.imageKey()).asText();
    String resolved;
    try {
      resolved = MediaPaths.resolve(dir, ref);
    } catch (IllegalArgumentException e) {
      return Outcome.reject(
          WdsReason.PATH_OUTSIDE_ROOTS, "Cannot resolve the image path: " + e.getMessage());
    }
    if (!paths.isAllowed(resolved, dir)) {
      return Outcome.reject(
          WdsReason.PATH_OUTSIDE_ROOTS,
          "the image path "
              + ref
              + " resolves to "
              + resolved
              + ", outside the allowed roots "
              + paths.effectiveRoots(dir)
              + " (set input.allowed_roots to allow it)");
    }
    Path p = new Path(resolved);
    try {
      FileStatus st = storage.fs(p).getFileStatus(p);
      if (st.isDirectory()) {
        return Outcome.reject(
            WdsReason.FILE_NOT_FOUND, "the image path " + resolved + " is a directory");
      }
      if (st.getLen() == 0) {
        return Outcome.reject(WdsReason.EMPTY_FILE, "the image file " + resolved + " has 0 bytes");
      }
      ImageInfo info;
      try (InputStream in = storage.open(p)) {
        info = ImageProbe.validate(in, resolved);
      }
      if (o.filterMethod() != null) {
        ResolutionFilter.Decision d =
            ResolutionFilter.of(o.filterMethod(), o.filterValue()).test(info);
        if (!d.keep()) {
          return Outcome.reject(WdsReason.RESOLUTION_FILTERED, d.message());
        }
      }
      return new Outcome(null, null, resolved, payload + st.getLen());
    } catch (FileNotFoundException e) {
      return Outcome.reject(
          WdsReason.FILE_NOT_FOUND, "the image file " + resolved + " does not exist");
    } catch (ImageFormatException e) {
      return Outcome.reject(reasonOf(e), e.getMessage());
    } catch (IOException e) {
      return Outcome.reject(WdsReason.IO_ERROR, "Cannot read " + resolved + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return Outcome.reject(WdsReason.CORRUPT_IMAGE, "Cannot decode " + resolved + ": " + e);
    }
  }

  private static WdsReason reasonOf(ImageFormatException e) {
    return switch (e.reason()) {
      case EMPTY_FILE -> WdsReason.EMPTY_FILE;
      case NOT_IMAGE -> WdsReason.NOT_IMAGE;
      case UNSUPPORTED_FORMAT -> WdsReason.UNSUPPORTED_IMAGE;
      case TRUNCATED -> WdsReason.TRUNCATED_IMAGE;
      case CORRUPT -> WdsReason.CORRUPT_IMAGE;
      case TOO_LARGE -> WdsReason.IMAGE_TOO_LARGE;
    };
  }
}
