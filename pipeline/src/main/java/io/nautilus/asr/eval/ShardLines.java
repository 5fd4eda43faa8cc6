package io.nautilus.asr.eval;

import io.nautilus.io.Storage;
import io.nautilus.shard.MultiShardReader;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import io.nautilus.train.data.EpochFeed;
import io.nautilus.train.data.ShardSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * Turns a partition's shard indexes into input rows: every entry of a shard's {@code
 * sharded_manifests/manifest_{i}.json} with its audio member, numbered in the order the tar yields
 * them.
 */
final class ShardLines implements FlatMapFunction<Iterator<Integer>, Row> {
  private final Storage storage;
  private final ShardSet set;

  ShardLines(Storage storage, ShardSet set) {
    this.storage = storage;
    this.set = set;
  }

  @Override
  public Iterator<Row> call(Iterator<Integer> shards) throws Exception {
    List<String> urls = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<String> manifests = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    while (shards.hasNext()) {
      int i = shards.next();
      urls.add(set.urls().get(i));
      counts.add(set.counts().get(i));
      manifests.add(set.manifests().get(i));
      index.put(set.urls().get(i), i);
    }
    List<Row> rows = new ArrayList<>();
    if (urls.isEmpty()) {
      return rows.iterator();
    }
    ShardSet mine = new ShardSet(urls, counts, manifests);
    ShardOpener opener = url -> storage.open(new Path(url));
    Map<String, Long> numbers = new HashMap<>();
    try (MultiShardReader reader =
        MultiShardReader.builder().setShards(urls).setOpener(opener).build()) {
      Iterator<Sample> samples = EpochFeed.open(reader, mine, opener);
      while (samples.hasNext()) {
        Sample s = samples.next();
        byte[] audio = null;
        for (Map.Entry<String, byte[]> m : s.members().entrySet()) {
          if (!m.getKey().equals("json")) {
            audio = m.getValue();
          }
        }
        long number = numbers.merge(s.url(), 1L, Long::sum);
        rows.add(
            EvalRows.input(
                index.get(s.url()),
                mine.manifestOf(s.url()),
                number,
                new String(s.member("json"), StandardCharsets.UTF_8),
                true,
                audio));
      }
    }
    return rows.iterator();
  }
}
