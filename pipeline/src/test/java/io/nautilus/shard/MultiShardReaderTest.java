package io.nautilus.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiShardReaderTest {
  private static final int SHARDS = 7;
  private static final int SAMPLES_PER_SHARD = 20;
  private static final Map<String, byte[]> STORE = new HashMap<>();
  private static final List<String> URLS =
      ShardPatterns.expand("mem://ds/shard-{000000..000006}.tar");

  @BeforeAll
  static void writeShards() throws IOException {
    for (int s = 0; s < SHARDS; s++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (UstarWriter writer = new UstarWriter(out)) {
        for (int i = 0; i < SAMPLES_PER_SHARD; i++) {
          String key = String.format("s%d_%02d", s, i);
          writer.putSample(key, new TreeMap<>(Map.of("txt", key.getBytes(UTF_8))));
        }
      }
      STORE.put(URLS.get(s), out.toByteArray());
    }
  }

  @Test
  void withoutShuffleSamplesComeInShardAndArchiveOrder() throws IOException {
    List<String> keys = keys(MultiShardReader.builder().setShards(URLS).setOpener(memory()));

    assertThat(keys).hasSize(SHARDS * SAMPLES_PER_SHARD);
    assertThat(keys.subList(0, 3)).containsExactly("s0_00", "s0_01", "s0_02");
    assertThat(keys.get(keys.size() - 1)).isEqualTo("s6_19");
  }

  @Test
  void shuffleIsDeterministicForASeedAndDiffersAcrossSeeds() throws IOException {
    List<String> a = keys(shuffled(100, 42));
    List<String> b = keys(shuffled(100, 42));
    List<String> c = keys(shuffled(100, 43));

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a).containsExactlyInAnyOrderElementsOf(allKeys());
    assertThat(a).isNotEqualTo(allKeys());
  }

  @Test
  void eachEpochReshufflesReproducibly() throws IOException {
    List<String> epoch0 = keys(shuffled(50, 1).optEpoch(0));
    List<String> epoch1 = keys(shuffled(50, 1).optEpoch(1));

    assertThat(epoch1).isNotEqualTo(epoch0);
    assertThat(keys(shuffled(50, 1).optEpoch(1))).isEqualTo(epoch1);
  }

  @Test
  void scatterOfSevenShardsOverThreeRanksReadsEveryShardExactlyOnce() throws IOException {
    List<List<String>> slices = new ArrayList<>();
    List<String> everyKey = new ArrayList<>();
    for (int rank = 0; rank < 3; rank++) {
      slices.add(RankSplit.SCATTER.select(URLS, rank, 3));
      everyKey.addAll(
          keys(
              MultiShardReader.builder()
                  .setShards(URLS)
                  .setOpener(memory())
                  .optRank(rank, 3, RankSplit.SCATTER)));
    }

    // Leftover shard 7 mod 3 = 1 goes to rank 0; slices stay contiguous.
    assertThat(slices.get(0)).isEqualTo(URLS.subList(0, 3));
    assertThat(slices.get(1)).isEqualTo(URLS.subList(3, 5));
    assertThat(slices.get(2)).isEqualTo(URLS.subList(5, 7));
    assertThat(everyKey).containsExactlyInAnyOrderElementsOf(allKeys());
  }

  @Test
  void scatterCoversEveryShardOnceForManyShapes() {
    for (int shards = 1; shards <= 12; shards++) {
      List<String> urls = IntStream.range(0, shards).mapToObj(i -> "u" + i).toList();
      for (int world = 1; world <= shards; world++) {
        List<String> seen = new ArrayList<>();
        for (int rank = 0; rank < world; rank++) {
          List<String> slice = RankSplit.SCATTER.select(urls, rank, world);
          assertThat(slice.size()).isBetween(shards / world, shards / world + 1);
          seen.addAll(slice);
        }
        assertThat(seen).as("%d shards over %d ranks", shards, world).isEqualTo(urls);
      }
    }
  }

  @Test
  void scatterRefusesFewerShardsThanRanks() {
    assertThatThrownBy(() -> RankSplit.SCATTER.select(List.of("a", "b"), 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot scatter 2 shards over 3 ranks: every rank needs at least one shard; write"
                + " more shards or use REPLICATE");
  }

  @Test
  void rankOutsideTheWorldIsRefused() {
    assertThatThrownBy(() -> RankSplit.REPLICATE.select(URLS, 3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot split shards over ranks: rank 3 is outside 0..2 (world size 3)");
  }

  @Test
  void replicateGivesEveryRankAllSamplesInADifferentOrder() throws IOException {
    List<String> rank0 = keys(shuffled(64, 9).optRank(0, 2, RankSplit.REPLICATE));
    List<String> rank1 = keys(shuffled(64, 9).optRank(1, 2, RankSplit.REPLICATE));

    assertThat(rank0).containsExactlyInAnyOrderElementsOf(allKeys());
    assertThat(rank1).containsExactlyInAnyOrderElementsOf(allKeys());
    assertThat(rank0).isNotEqualTo(rank1);
  }

  @Test
  void shuffleBufferOfOneKeepsTheSourceOrder() {
    ShuffleBuffer<Integer> buffer =
        new ShuffleBuffer<>(List.of(1, 2, 3, 4).iterator(), 1, new SplittableRandom(5));
    List<Integer> out = new ArrayList<>();
    buffer.forEachRemaining(out::add);
    assertThat(out).containsExactly(1, 2, 3, 4);
  }

  @Test
  void shardThatCannotBeOpenedFailsWithItsUrl() {
    MultiShardReader reader =
        MultiShardReader.builder().setShards("mem://ds/missing.tar").setOpener(memory()).build();
    assertThatThrownBy(reader::hasNext)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("Cannot open shard mem://ds/missing.tar: no such shard");
  }

  @Test
  void localFileOpenerReadsPathsAndFileUris(@TempDir Path dir) throws IOException {
    Path shard = dir.resolve("local-0.tar");
    Files.write(shard, STORE.get(URLS.get(0)));
    for (String url : List.of(shard.toString(), shard.toUri().toString())) {
      List<String> keys =
          keys(
              MultiShardReader.builder()
                  .setShards(List.of(url))
                  .setOpener(ShardOpener.localFiles()));
      assertThat(keys).hasSize(SAMPLES_PER_SHARD);
    }
  }

  private static MultiShardReader.Builder shuffled(int buffer, long seed) {
    return MultiShardReader.builder().setShards(URLS).setOpener(memory()).optShuffle(buffer, seed);
  }

  private static ShardOpener memory() {
    return url -> {
      byte[] bytes = STORE.get(url);
      if (bytes == null) {
        throw new FileNotFoundException("no such shard");
      }
      return new ByteArrayInputStream(bytes);
    };
  }

  private static List<String> keys(MultiShardReader.Builder builder) throws IOException {
    List<String> keys = new ArrayList<>();
    try (MultiShardReader reader = builder.build()) {
      for (Sample sample : reader) {
        assertThat(new String(sample.member("txt"), UTF_8)).isEqualTo(sample.key());
        if (sample.url().startsWith("mem://")) {
          assertThat(sample.url()).isEqualTo(URLS.get(sample.key().charAt(1) - '0'));
        }
        keys.add(sample.key());
      }
    }
    return keys;
  }

  private static List<String> allKeys() {
    List<String> keys = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      for (int i = 0; i < SAMPLES_PER_SHARD; i++) {
        keys.add(String.format("s%d_%02d", s, i));
      }
    }
    return keys;
  }
}
