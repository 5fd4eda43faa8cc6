package io.nautilus.shard.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.io.JsonHeader;
import io.nautilus.io.Storage;
import io.nautilus.run.RunFingerprint;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What a shard set holds, written with each version ({@value #FILE}, then {@code
 * shard_state_version_{v}.json}): the config and every prepared input (with its digest) sharded
 * into it so far, the shard count and per-shard count, and the remainder entries whole, so that the
 * next {@code --append} can shard them without reading the inputs they came from again.
 *
 * @param fingerprint the config and the inputs consumed by this version and all before it
 * @param samplesPerShard entries per shard under shard.equal_count, else -1
 * @param remainder the entries left over, as rows of {@link #REMAINDER_SCHEMA}
 */
record ShardState(
    int version,
    RunFingerprint fingerprint,
    int shards,
    long samplesPerShard,
    List<Row> remainder) {
  static final String FILE = "shard_state.json";
  static final String FORMAT = "nautilus-shard-state";
  static final int FORMAT_VERSION = 1;

  /** The columns of a remainder entry, as read from a prepared dataset. */
  static final StructType REMAINDER_SCHEMA =
      new StructType()
          .add("source", DataTypes.StringType, false)
          .add("line_number", DataTypes.LongType, false)
          .add("audio_filepath", DataTypes.StringType, false)
          .add("offset", DataTypes.DoubleType, true)
          .add("duration", DataTypes.DoubleType, false)
          .add("file_bytes", DataTypes.LongType, false)
          .add("sample_rate", DataTypes.IntegerType, false)
          .add("channels", DataTypes.IntegerType, false)
          .add("manifest_line", DataTypes.StringType, false);

  private static final ObjectMapper JSON = new ObjectMapper();

  ShardState {
    remainder = List.copyOf(remainder);
  }

  /** The state of the latest committed version of {@code dir}, or null when it has none. */
  static ShardState readCurrent(Storage storage, Path dir) throws IOException {
    int v = ShardVersions.current(storage, dir);
    String text;
    try {
      text = storage.readString(new Path(dir, ShardVersions.state(v)));
    } catch (FileNotFoundException e) {
      return null;
    }
    try {
      return fromJson(JSON.readTree(text));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException(
          "Cannot read " + new Path(dir, ShardVersions.state(v)) + ": " + e.getMessage(), e);
    }
  }

  String toJson() {
    ObjectNode root = JSON.createObjectNode();
    JsonHeader.put(root, FORMAT, FORMAT_VERSION);
    root.put("set_version", version);
    root.put("shards", shards);
    root.put("samples_per_shard", samplesPerShard);
    root.set("fingerprint", fingerprint.toNode());
    ArrayNode rest = root.putArray("remainder");
    for (Row r : remainder) {
      ObjectNode e = rest.addObject();
      e.put("source", r.getString(0));
      e.put("line_number", r.getLong(1));
      e.put("audio_filepath", r.getString(2));
      if (r.isNullAt(3)) {
        e.putNull("offset");
      } else {
        e.put("offset", r.getDouble(3));
      }
      e.put("duration", r.getDouble(4));
      e.put("file_bytes", r.getLong(5));
      e.put("sample_rate", r.getInt(6));
      e.put("channels", r.getInt(7));
      e.put("manifest_line", r.getString(8));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write shard state as JSON", e);
    }
  }

  static ShardState fromJson(JsonNode root) {
    JsonHeader.check(root, FORMAT, FORMAT_VERSION, "");
    List<Row> rest = new ArrayList<>();
    for (JsonNode e : root.path("remainder")) {
      rest.add(
          RowFactory.create(
              e.path("source").asText(),
              e.path("line_number").asLong(),
              e.path("audio_filepath").asText(),
              e.path("offset").isNumber() ? e.path("offset").asDouble() : null,
              e.path("duration").asDouble(),
              e.path("file_bytes").asLong(),
              e.path("sample_rate").asInt(),
              e.path("channels").asInt(),
              e.path("manifest_line").asText()));
    }
    return new ShardState(
        root.path("set_version").asInt(),
        RunFingerprint.fromNode(root.path("fingerprint")),
        root.path("shards").asInt(),
        root.path("samples_per_shard").asLong(),
        rest);
  }
}
