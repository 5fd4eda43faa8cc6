package io.nautilus.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.run.Iterators;
import io.nautilus.run.Outputs;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns an accepted record into its output form: the NeMo manifest line (the input object with
 * every key kept, in order, and audio_filepath, duration and text updated) and typed columns.
 */
final class ManifestEntry implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  static final StructType SCHEMA =
      new StructType()
          .add("source", DataTypes.StringType, false)
          .add("line_number", DataTypes.LongType, false)
          .add("audio_filepath", DataTypes.StringType, false)
          .add("offset", DataTypes.DoubleType, true)
          .add("duration", DataTypes.DoubleType, false)
          .add("text", DataTypes.StringType, true)
          .add("original_text", DataTypes.StringType, true)
          .add("speaker", DataTypes.StringType, true)
          .add("lang", DataTypes.StringType, true)
          .add("sample_rate", DataTypes.IntegerType, false)
          .add("channels", DataTypes.IntegerType, false)
          .add("encoding", DataTypes.StringType, false)
          .add("content_hash", DataTypes.StringType, true)
          .add("file_bytes", DataTypes.LongType, false)
          .add("warning", DataTypes.StringType, true)
          .add("manifest_line", DataTypes.StringType, false);

  /** The input columns, in the order {@link #call} reads them. */
  static final String[] INPUT =
      new String[] {
        ManifestLines.SOURCE,
        ManifestLines.LINE_NUMBER,
        MediaProbe.RESOLVED,
        TextAndFilters.OFFSET,
        TextAndFilters.DURATION,
        TextAndFilters.TEXT,
        RecordChecks.TEXT_IN,
        RecordChecks.SPEAKER,
        RecordChecks.LANG,
        MediaProbe.SAMPLE_RATE,
        MediaProbe.CHANNELS,
        MediaProbe.ENCODING,
        MediaProbe.CONTENT_HASH,
        MediaProbe.FILE_BYTES,
        TextAndFilters.WARNING,
        ManifestLines.LINE
      };

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ObjectMapper json = new ObjectMapper();
    return Iterators.map(
        rows,
        r -> {
          String path = Outputs.display(r.getString(2));
          double duration = r.getDouble(4);
          String text = r.getString(5);
          String line;
          try {
            line = json.writeValueAsString(rewrite(json, r.getString(15), path, duration, text));
          } catch (java.io.IOException e) {
            // The line passed the SQL JSON checks; failing here is a bug, not bad input.
            throw new IllegalStateException(
                "Cannot rewrite manifest line " + r.getString(0) + ":" + r.getLong(1), e);
          }
          return RowFactory.create(
              r.get(0), r.get(1), path, r.get(3), duration, text, r.get(6), r.get(7), r.get(8),
              r.get(9), r.get(10), r.get(11), r.get(12), r.get(13), r.get(14), line);
        });
  }

  static ObjectNode rewrite(
      ObjectMapper json, String original, String path, double duration, String text)
      throws java.io.IOException {
    JsonNode in = json.readTree(original);
    ObjectNode out = json.createObjectNode();
    boolean pathWritten = false;
    boolean textWritten = false;
    Iterator<Map.Entry<String, JsonNode>> fields = in.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      if (RecordChecks.AUDIO_KEYS.contains(key)) {
        if (!pathWritten) {
          out.put("audio_filepath", path);
          pathWritten = true;
        }
      } else if (key.equals("duration")) {
        out.put("duration", duration);
      } else if (key.equals("text") && text != null) {
        out.put("text", text);
        textWritten = true;
      } else {
        out.set(key, f.getValue());
      }
    }
    if (!out.has("duration")) {
      out.put("duration", duration);
    }
    if (text != null && !textWritten) {
      out.put("text", text);
    }
    return out;
  }
}
