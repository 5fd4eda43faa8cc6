package io.nautilus.asr.eval;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The rows a partition evaluator reads (input lines) and writes (one outcome per line). */
final class EvalRows {
  static final String SOURCE_INDEX = "source_index";
  static final String LINE_NUMBER = "line_number";
  static final String REASON = "reason";
  static final String JSON = "json";

  /**
   * One input line: a manifest line (audio read from its path) or a tarred manifest entry with its
   * audio member's bytes.
   */
  static final StructType INPUT =
      new StructType()
          .add(SOURCE_INDEX, DataTypes.IntegerType, false)
          .add("source", DataTypes.StringType, false)
          .add(LINE_NUMBER, DataTypes.LongType, false)
          .add("line", DataTypes.StringType, false)
          .add("utf8_valid", DataTypes.BooleanType, false)
          .add("audio", DataTypes.BinaryType, true);

  /**
   * One outcome: {@code reason} null and {@code json} the predictions line, or {@code reason} and
   * {@code json} the rejects line. The counts are 0 for rejects.
   */
  static final StructType OUTPUT =
      new StructType()
          .add(SOURCE_INDEX, DataTypes.IntegerType, false)
          .add(LINE_NUMBER, DataTypes.LongType, false)
          .add(REASON, DataTypes.StringType, true)
          .add(JSON, DataTypes.StringType, false)
          .add("word_errors", DataTypes.LongType, false)
          .add("ref_words", DataTypes.LongType, false)
          .add("char_errors", DataTypes.LongType, false)
          .add("ref_chars", DataTypes.LongType, false)
          .add("substitutions", DataTypes.LongType, false)
          .add("insertions", DataTypes.LongType, false)
          .add("deletions", DataTypes.LongType, false)
          .add("audio_seconds", DataTypes.DoubleType, false)
          .add("inference_seconds", DataTypes.DoubleType, false);

  private EvalRows() {}

  static Row input(
      int sourceIndex, String source, long lineNumber, String line, boolean utf8, byte[] audio) {
    return RowFactory.create(sourceIndex, source, lineNumber, line, utf8, audio);
  }

  static Row rejected(Row input, String json, EvalRejectReason reason) {
    return RowFactory.create(
        input.getInt(0),
        input.getLong(2),
        reason.name(),
        json,
        0L,
        0L,
        0L,
        0L,
        0L,
        0L,
        0L,
        0.0,
        0.0);
  }
}
