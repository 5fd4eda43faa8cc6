package io.nautilus.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WidsIndexTest {

  @Test
  void writesTheWidsLayoutAndReadsItBack() throws IOException {
    WidsIndex index =
        new WidsIndex(
            "librispeech-train",
            List.of(
                new WidsIndex.Shard(
                    "shard-000000.tar", "5d41402abc4b2a76b9719d911017c592", 100, 123_904L),
                new WidsIndex.Shard(
                    "shard-000001.tar", "7d793037a0760186574b0282f2f435e7", 37, 40_960L)));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    index.write(out);
    JsonNode json = new ObjectMapper().readTree(out.toByteArray());

    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("__kind__", "wids_version", "name", "shardlist");
    assertThat(json.get("__kind__").asText()).isEqualTo("wids-shard-index-v1");
    assertThat(json.get("wids_version").isInt()).isTrue();
    assertThat(json.get("wids_version").asInt()).isEqualTo(1);
    JsonNode first = json.get("shardlist").get(0);
    List<String> entryKeys = new ArrayList<>();
    first.fieldNames().forEachRemaining(entryKeys::add);
    assertThat(entryKeys).containsExactly("url", "md5sum", "nsamples", "filesize");
    assertThat(first.get("nsamples").asLong()).isEqualTo(100);
    assertThat(first.get("filesize").asLong()).isEqualTo(123_904L);

    WidsIndex back = WidsIndex.read(new ByteArrayInputStream(out.toByteArray()));
    assertThat(back).isEqualTo(index);
    assertThat(back.totalSamples()).isEqualTo(137);
  }

  @Test
  void readsEntriesWithoutMd5OrFilesizeAndIgnoresUnknownFields() {
    WidsIndex index =
        WidsIndex.parse(
            "{\"__kind__\": \"wids-shard-index-v1\", \"wids_version\": 1, \"extra\": true,"
                + " \"shardlist\": [{\"url\": \"a.tar\", \"nsamples\": 5, \"note\": \"x\"}]}");
    assertThat(index.name()).isNull();
    assertThat(index.shards()).containsExactly(new WidsIndex.Shard("a.tar", null, 5, null));
  }

  @Test
  void otherKindIsRefused() {
    assertThatThrownBy(() -> WidsIndex.parse("{\"__kind__\": \"something\", \"wids_version\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read wids index: __kind__ is 'something', expected 'wids-shard-index-v1'");
  }

  @Test
  void otherVersionIsRefused() {
    assertThatThrownBy(
            () ->
                WidsIndex.parse(
                    "{\"__kind__\": \"wids-shard-index-v1\", \"wids_version\": 2,"
                        + " \"shardlist\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read wids index: unsupported wids_version 2; this reader knows version 1");
  }

  @Test
  void entryWithoutNsamplesIsRefused() {
    assertThatThrownBy(
            () ->
                WidsIndex.parse(
                    "{\"__kind__\": \"wids-shard-index-v1\", \"wids_version\": 1,"
                        + " \"shardlist\": [{\"url\": \"a.tar\"}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read wids index: shardlist[0] (a.tar) has no integer nsamples");
  }

  @Test
  void md5CountingStreamDescribesTheShardAsWritten() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Md5CountingOutputStream counting = new Md5CountingOutputStream(file);
    try (UstarWriter writer = new UstarWriter(counting)) {
      writer.putSample("k", new TreeMap<>(Map.of("txt", "hello".getBytes(UTF_8))));
    }

    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(file.toByteArray()));
    assertThat(counting.count()).isEqualTo(file.size()).isEqualTo(2048);
    assertThat(counting.md5Hex()).isEqualTo(expected);
  }

  @Test
  void md5OfKnownBytes() throws IOException {
    Md5CountingOutputStream counting = new Md5CountingOutputStream(OutputStream.nullOutputStream());
    counting.write("hello".getBytes(UTF_8));
    assertThat(counting.md5Hex()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    assertThat(counting.count()).isEqualTo(5);
  }
}
