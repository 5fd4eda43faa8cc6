package io.nautilus.shard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The wids shard index: {@code {"__kind__": "wids-shard-index-v1", "wids_version": 1, "name": ...,
 * "shardlist": [{"url": ..., "md5sum": ..., "nsamples": ..., "filesize": ...}]}}.
 *
 * <p>wids resolves relative shard URLs against the index's own location; so should callers. Reading
 * accepts entries without {@code md5sum} or {@code filesize} (wids needs only {@code url} and
 * {@code nsamples}) and ignores unknown fields; any other kind or version is refused.
 *
 * @param name the dataset name, or null to omit it
 * @param shards the shards in dataset order
 */
public record WidsIndex(String name, List<Shard> shards) {
  public static final String KIND = "wids-shard-index-v1";
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One shard of the index.
   *
   * @param md5sum lower-case hex MD5 of the shard file, or null when unknown
   * @param filesize the shard file's length in bytes, or null when unknown
   */
  public record Shard(String url, String md5sum, long nsamples, Long filesize) {
    public Shard {
      Objects.requireNonNull(url, "url is null");
      if (nsamples < 0) {
        throw new IllegalArgumentException(
            "Cannot describe shard " + url + ": nsamples " + nsamples + " < 0");
      }
      if (filesize != null && filesize < 0) {
        throw new IllegalArgumentException(
            "Cannot describe shard " + url + ": filesize " + filesize + " < 0");
      }
    }
  }

  public WidsIndex {
    shards = List.copyOf(Objects.requireNonNull(shards, "shards is null"));
  }

  public long totalSamples() {
    return shards.stream().mapToLong(Shard::nsamples).sum();
  }

  /** Pretty-printed JSON with the keys in the order wids writes them. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("__kind__", KIND);
    root.put("wids_version", VERSION);
    if (name != null) {
      root.put("name", name);
    }
    ArrayNode list = root.putArray("shardlist");
    for (Shard shard : shards) {
      ObjectNode node = list.addObject();
      node.put("url", shard.url());
      if (shard.md5sum() != null) {
        node.put("md5sum", shard.md5sum());
      }
      node.put("nsamples", shard.nsamples());
      if (shard.filesize() != null) {
        node.put("filesize", shard.filesize());
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise wids index: " + e.getMessage(), e);
    }
  }

  /** Writes {@link #toJson()} as UTF-8; the stream stays open. */
  public void write(OutputStream out) throws IOException {
    out.write(toJson().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  public static WidsIndex read(InputStream in) throws IOException {
    return fromTree(JSON.readTree(in));
  }

  public static WidsIndex parse(String json) {
    try {
      return fromTree(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read wids index: it is not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static WidsIndex fromTree(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw invalid("the document is not a JSON object");
    }
    String kind = root.path("__kind__").asText(null);
    if (!KIND.equals(kind)) {
      throw invalid("__kind__ is " + quoted(kind) + ", expected '" + KIND + "'");
    }
    JsonNode version = root.get("wids_version");
    if (version == null || !version.canConvertToInt() || version.intValue() != VERSION) {
      throw invalid(
          "unsupported wids_version " + version + "; this reader knows version " + VERSION);
    }
    JsonNode nameNode = root.get("name");
    String name = nameNode == null || nameNode.isNull() ? null : nameNode.asText();
    JsonNode list = root.get("shardlist");
    if (list == null || !list.isArray()) {
      throw invalid("shardlist is missing or not an array");
    }
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      JsonNode url = entry.get("url");
      if (url == null || !url.isTextual()) {
        throw invalid("shardlist[" + i + "] has no string url");
      }
      JsonNode nsamples = entry.get("nsamples");
      if (nsamples == null || !nsamples.canConvertToLong() || !nsamples.isIntegralNumber()) {
        throw invalid("shardlist[" + i + "] (" + url.asText() + ") has no integer nsamples");
      }
      JsonNode md5 = entry.get("md5sum");
      JsonNode filesize = entry.get("filesize");
      if (filesize != null && !filesize.isNull() && !filesize.isIntegralNumber()) {
        throw invalid("shardlist[" + i + "] (" + url.asText() + ") has a non-integer filesize");
      }
      try {
        shards.add(
            new Shard(
                url.asText(),
                md5 == null || md5.isNull() ? null : md5.asText(),
                nsamples.longValue(),
                filesize == null || filesize.isNull() ? null : filesize.longValue()));
      } catch (IllegalArgumentException e) {
        throw invalid("shardlist[" + i + "]: " + e.getMessage());
      }
    }
    return new WidsIndex(name, shards);
  }

  private static String quoted(String s) {
    return s == null ? "missing" : "'" + s + "'";
  }

  private static IllegalArgumentException invalid(String reason) {
    return new IllegalArgumentException("Cannot read wids index: " + reason);
  }
}
