package io.nautilus.shard.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Decides where every entry goes: bucket, shard and position, or the remainder.
 *
 * <p>The order depends only on the entries and the seed (a hash of seed and entry identity, ties
 * broken by identity), never on partitioning, so the same input always gives the same shards.
 */
final class ShardPlan {
  static final String INPUT_INDEX = "input_index";

  /**
   * A manifest's rank among the manifests of its prepared dataset, by path. Entries are identified
   * by (input, manifest rank, line), never by the manifest's location, so that the same dataset
   * shuffles the same way wherever it is stored.
   */
  static final String SOURCE_RANK = "source_rank";

  static final String BUCKET = "bucket";
  static final String SHARD = "shard_id";
  static final String POS = "pos";
  static final String RANK = "_rank";

  /** Shards and counts of one bucket. */
  record Bucket(int index, long entries, int shards, long perShard, long remainder, String note) {}

  private final List<Bucket> buckets;
  private final Dataset<Row> assigned;
  private final double lo;
  private final double hi;

  private ShardPlan(List<Bucket> buckets, Dataset<Row> assigned, double lo, double hi) {
    this.buckets = buckets;
    this.assigned = assigned;
    this.lo = lo;
    this.hi = hi;
  }

  List<Bucket> buckets() {
    return buckets;
  }

  /** Every entry with bucket, shard_id (-1 for the remainder) and pos. */
  Dataset<Row> assigned() {
    return assigned;
  }

  double bucketLow() {
    return lo;
  }

  double bucketHigh() {
    return hi;
  }

  static ShardPlan of(Dataset<Row> entries, ShardOptions o) {
    return of(entries, o, 0);
  }

  /**
   * A plan; with {@code fixedPerShard > 0} (an append under shard.equal_count) every shard gets
   * exactly that many entries, as the set's earlier shards have, and as many shards are made as the
   * entries fill: the rest, possibly all, is the remainder.
   */
  static ShardPlan of(Dataset<Row> entries, ShardOptions o, long fixedPerShard) {
    Column[] identity = {col(INPUT_INDEX), col(SOURCE_RANK), col("line_number")};
    Column order =
        o.shuffle()
            ? xxhash64(lit(o.shuffleSeed()), col(INPUT_INDEX), col(SOURCE_RANK), col("line_number"))
            : lit(0L);
    Row range = entries.agg(min("duration"), max("duration")).first();
    double dataLo = range.isNullAt(0) ? 0 : range.getDouble(0);
    double dataHi = range.isNullAt(1) ? 0 : range.getDouble(1);
    double lo = o.bucketMinDuration() != null ? o.bucketMinDuration() : dataLo;
    double hi = o.bucketMaxDuration() != null ? o.bucketMaxDuration() : dataHi;
    Column bucket;
    if (o.bucketsNum() == 1 || hi <= lo) {
      bucket = lit(0);
    } else {
      // Entries outside [lo, hi] go to the first or last bucket: never dropped.
      double width = (hi - lo) / o.bucketsNum();
      bucket =
          least(
                  greatest(floor(col("duration").minus(lo).divide(width)), lit(0)),
                  lit(o.bucketsNum() - 1))
              .cast("int");
    }
    Dataset<Row> ranked =
        entries
            .withColumn(BUCKET, bucket)
            .withColumn("_order", order)
            .withColumn(
                RANK,
                row_number()
                    .over(
                        Window.partitionBy(col(BUCKET))
                            .orderBy(col("_order"), identity[0], identity[1], identity[2]))
                    .minus(1));

    Column estimated = estimatedBytes(o);
    List<Row> perBucket =
        ranked.groupBy(BUCKET).agg(count(lit(1)), sum(estimated)).orderBy(BUCKET).collectAsList();
    List<Bucket> buckets = new ArrayList<>();
    Column shard = lit(-1);
    for (Row r : perBucket) {
      int b = r.getInt(0);
      long n = r.getLong(1);
      double bytes = r.isNullAt(2) ? 0 : r.getDouble(2);
      int wanted =
          o.numShards() != null
              ? o.numShards()
              : (int) Math.max(1, Math.ceil(bytes / (o.targetShardMb() * 1e6)));
      boolean fixed = fixedPerShard > 0 && o.equalCount();
      int shards = fixed ? (int) (n / fixedPerShard) : (int) Math.min(wanted, n);
      String note =
          !fixed && shards < wanted
              ? "num_shards lowered from " + wanted + " to " + shards + ": only " + n + " entries"
              : null;
      long per = fixed ? fixedPerShard : o.equalCount() ? n / shards : -1;
      long remainder = o.equalCount() ? n - per * shards : 0;
      buckets.add(new Bucket(b, n, shards, per, remainder, note));
      Column rank = col(RANK);
      Column inBucket =
          o.equalCount()
              ? when(rank.lt(per * shards), floor(rank.divide(per))).otherwise(lit(-1))
              : floor(rank.multiply(shards).divide(n));
      shard = when(col(BUCKET).equalTo(b), inBucket.cast("int")).otherwise(shard);
    }
    Dataset<Row> withShard = ranked.withColumn(SHARD, shard.cast("int"));
    Column pos =
        o.sortInShards()
            ? row_number()
                .over(
                    Window.partitionBy(col(BUCKET), col(SHARD)).orderBy(col("duration"), col(RANK)))
                .minus(1)
            : row_number()
                .over(Window.partitionBy(col(BUCKET), col(SHARD)).orderBy(col(RANK)))
                .minus(1);
    return new ShardPlan(buckets, withShard.withColumn(POS, pos).drop("_order"), lo, hi);
  }

  /** Bytes an entry will take in a shard, to size shards from shard.target_shard_mb. */
  private static Column estimatedBytes(ShardOptions o) {
    if (!o.transcodes()) {
      return col("file_bytes").cast("double");
    }
    Column rate = o.sampleRate() != null ? lit(o.sampleRate()) : col("sample_rate");
    Column channels = o.mono() ? lit(1) : col("channels");
    double ratio = o.codec() == ShardOptions.Codec.FLAC ? 0.6 : 1.0;
    return col("duration").multiply(rate).multiply(channels).multiply(2 * ratio).plus(44);
  }
}
