package io.nautilus.shard;

import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * One WebDataset sample: the adjacent members of a shard that share a key.
 *
 * @param key the member path up to the first dot of its last component ({@code __key__})
 * @param url the shard it came from ({@code __url__})
 * @param members lower-cased extension to bytes, in archive order
 */
public record Sample(String key, String url, LinkedHashMap<String, byte[]> members) {
  public Sample {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(url, "url is null");
    Objects.requireNonNull(members, "members is null");
  }

  /**
   * The bytes stored under {@code extension}.
   *
   * @throws IllegalArgumentException if the sample has no such member
   */
  public byte[] member(String extension) {
    byte[] data = members.get(extension);
    if (data == null) {
      throw new IllegalArgumentException(
          "Cannot get member '"
              + extension
              + "' of sample '"
              + key
              + "' in "
              + url
              + ": it has only "
              + members.keySet());
    }
    return data;
  }
}
