package io.nautilus.prepare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.run.Outputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The stats file of a prepare run, and the person-readable summary printed at the end. */
final class PrepareStats {
  private PrepareStats() {}

  static ObjectNode compute(
      Dataset<Row> all,
      Dataset<Row> accepted,
      List<String> sources,
      long inputLines,
      Map<String, Long> byReason,
      List<Double> edges) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
    long acceptedCount = inputLines - rejected;
    root.put("input_lines", inputLines);
    root.put("accepted", acceptedCount);
    root.put("rejected", rejected);
    root.put("conservation", inputLines + " = " + acceptedCount + " + " + rejected);
    ObjectNode reasons = root.putObject("rejects_by_reason");
    byReason.forEach(reasons::put);

    ArrayNode perSource = root.putArray("sources");
    Map<Integer, long[]> bySource = new LinkedHashMap<>();
    for (Row r :
        all.groupBy(col(ManifestLines.SOURCE_INDEX))
            .agg(count(lit(1)), sum(when(col(Check.REASON).isNull(), 1).otherwise(0)))
            .collectAsList()) {
      bySource.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    for (int i = 0; i < sources.size(); i++) {
      long[] c = bySource.getOrDefault(i, new long[2]);
      ObjectNode s = perSource.addObject();
      s.put("manifest", sources.get(i));
      s.put("lines", c[0]);
      s.put("accepted", c[1]);
      s.put("rejected", c[0] - c[1]);
    }

    Row d = accepted.agg(sum("duration"), min("duration"), max("duration"), count(lit(1))).first();
    double seconds = d.isNullAt(0) ? 0 : d.getDouble(0);
    ObjectNode dur = root.putObject("duration");
    dur.put("total_seconds", round(seconds));
    dur.put("total_hours", round(seconds / 3600.0));
    if (!d.isNullAt(1)) {
      dur.put("min_seconds", round(d.getDouble(1)));
      dur.put("max_seconds", round(d.getDouble(2)));
      dur.put("mean_seconds", round(seconds / d.getLong(3)));
    }
    ArrayNode hist = dur.putArray("histogram");
    Column bucket = lit(edges.size());
    for (int i = edges.size() - 1; i >= 0; i--) {
      bucket = when(col("duration").lt(edges.get(i)), lit(i)).otherwise(bucket);
    }
    Map<Integer, Long> buckets = new LinkedHashMap<>();
    for (Row r : accepted.groupBy(bucket.as("b")).count().collectAsList()) {
      buckets.put(r.getInt(0), r.getLong(1));
    }
    for (int i = 0; i <= edges.size(); i++) {
      ObjectNode b = hist.addObject();
      b.put("from", i == 0 ? 0.0 : edges.get(i - 1));
      if (i < edges.size()) {
        b.put("to", edges.get(i));
      } else {
        b.putNull("to");
      }
      b.put("count", buckets.getOrDefault(i, 0L));
    }

    ObjectNode chars = root.putObject("characters");
    for (Row r :
        accepted
            .where(col("text").isNotNull())
            .select(explode(split(col("text"), "")).as("c"))
            .where(col("c").notEqual(""))
            .groupBy("c")
            .count()
            .orderBy("c")
            .collectAsList()) {
      chars.put(r.getString(0), r.getLong(1));
    }
    ObjectNode speakers = root.putObject("speakers");
    for (Row r :
        accepted
            .where(col("speaker").isNotNull())
            .groupBy("speaker")
            .agg(count(lit(1)), sum("duration"))
            .orderBy("speaker")
            .collectAsList()) {
      ObjectNode s = speakers.putObject(r.getString(0));
      s.put("utterances", r.getLong(1));
      s.put("hours", round(r.getDouble(2) / 3600.0));
    }
    ObjectNode rates = root.putObject("sample_rates");
    for (Row r : accepted.groupBy("sample_rate").count().orderBy("sample_rate").collectAsList()) {
      rates.put(String.valueOf(r.getInt(0)), r.getLong(1));
    }
    ObjectNode channels = root.putObject("channels");
    for (Row r : accepted.groupBy("channels").count().orderBy("channels").collectAsList()) {
      channels.put(String.valueOf(r.getInt(0)), r.getLong(1));
    }
    root.put("warnings", accepted.where(col("warning").isNotNull()).count());
    return root;
  }

  static String toJson(ObjectNode stats) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(stats)
          + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write stats as JSON", e);
    }
  }

  static String summary(ObjectNode s, String output, int manifests) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "prepare: %,d input lines from %d manifest(s): %,d accepted (%.3f h), %,d rejected%n",
            s.get("input_lines").asLong(),
            manifests,
            s.get("accepted").asLong(),
            s.get("duration").get("total_hours").asDouble(),
            s.get("rejected").asLong()));
    if (s.get("rejected").asLong() > 0) {
      b.append("  rejected by reason:\n");
      s.get("rejects_by_reason")
          .fields()
          .forEachRemaining(
              e ->
                  b.append(
                      String.format(
                          Locale.ROOT,
                          "    %-20s %,8d  %s%n",
                          e.getKey(),
                          e.getValue().asLong(),
                          RejectReason.valueOf(e.getKey()).description())));
    }
    long warnings = s.get("warnings").asLong();
    if (warnings > 0) {
      b.append(String.format(Locale.ROOT, "  warnings: %,d (see the warning column)%n", warnings));
    }
    b.append("  conservation: ")
        .append(s.get("conservation").asText())
        .append(" (input = accepted + rejected)\n");
    b.append("  output: ").append(Outputs.display(output)).append('\n');
    b.append("    manifest.json        NeMo manifest of the accepted records\n");
    b.append("    accepted.parquet/    the same records as Parquet, with probe columns\n");
    b.append(
        "    rejects/rejects.json every rejected line with source, line number, reason, message\n");
    b.append("    stats.json           counts, durations, histogram, characters, speakers\n");
    b.append("    config.yaml          the resolved config of this run\n");
    return b.toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
