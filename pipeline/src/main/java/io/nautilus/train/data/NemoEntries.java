package io.nautilus.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins NeMo tarred audio samples with their manifest entries, as NeMo's tarred reader does: an
 * audio member yields one sample per manifest entry that names it, the first by its own name, later
 * ones by {@code base-sub{N}.ext}. Each sample gets its entry as a {@code json} member. An audio
 * member without an entry, or an entry whose audio is missing, is an error: samples are never
 * dropped silently.
 */
final class NemoEntries implements Iterator<Sample> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUB = Pattern.compile("(.*)-sub\\d+(\\.[^.]+)$");

  private final Iterator<Sample> samples;
  private final ShardSet set;
  private final ShardOpener opener;
  private final Deque<Sample> pending = new ArrayDeque<>();
  // A shuffle buffer interleaves shards, so every open shard keeps its entries until all of its
  // members have been seen.
  private final Map<String, Map<String, List<byte[]>>> open = new HashMap<>();

  NemoEntries(Iterator<Sample> samples, ShardSet set, ShardOpener opener) {
    this.samples = samples;
    this.set = set;
    this.opener = opener;
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty() && samples.hasNext()) {
      expand(samples.next());
    }
    if (pending.isEmpty()) {
      for (Map.Entry<String, Map<String, List<byte[]>>> e : open.entrySet()) {
        if (!e.getValue().isEmpty()) {
          throw new IllegalStateException(
              "Cannot read "
                  + e.getKey()
                  + ": its manifest names "
                  + e.getValue().keySet()
                  + " but the tar holds no such member");
        }
      }
    }
    return !pending.isEmpty();
  }

  @Override
  public Sample next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.removeFirst();
  }

  private void expand(Sample s) {
    Map<String, List<byte[]>> byMember = open.computeIfAbsent(s.url(), this::load);
    for (Map.Entry<String, byte[]> m : s.members().entrySet()) {
      String member = s.key() + "." + m.getKey();
      List<byte[]> entries = byMember.remove(member);
      if (entries == null) {
        throw new IllegalStateException(
            "Cannot read " + s.url() + ": member " + member + " has no manifest entry");
      }
      for (byte[] entry : entries) {
        LinkedHashMap<String, byte[]> members = new LinkedHashMap<>();
        members.put(m.getKey(), m.getValue());
        members.put("json", entry);
        pending.add(new Sample(s.key(), s.url(), members));
      }
    }
  }

  private Map<String, List<byte[]>> load(String url) {
    String manifest = set.manifestOf(url);
    if (manifest == null) {
      throw new IllegalStateException("Cannot find the manifest of shard " + url);
    }
    Map<String, List<byte[]>> out = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(opener.open(manifest), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode entry = JSON.readTree(line);
        String name = entry.path("audio_filepath").asText();
        Matcher sub = SUB.matcher(name);
        String member = sub.matches() ? sub.group(1) + sub.group(2) : name;
        out.computeIfAbsent(member, k -> new ArrayList<>())
            .add(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read manifest " + manifest + ": " + e.getMessage(), e);
    }
    return out;
  }
}
