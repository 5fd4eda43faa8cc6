package io.nautilus.shard;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Names the members of one NeMo shard, storing a file referenced several times only once.
 *
 * <p>NeMo's rule, per shard: the first reference to a file stores it under {@link
 * NemoNames#memberName}; the N-th later reference (N from 1) stores nothing and gets the manifest
 * name {@code base-sub{N}.ext}, which NeMo's reader maps back to the stored member. Nothing is
 * shared between shards: a file referenced from two shards is stored in both, as in NeMo. Create
 * one deduper per shard.
 *
 * <p>Where NeMo loses data we refuse instead. NeMo keys its count by the squashed name, so two
 * different files squashing to one name ({@code /a/b.flac} and {@code /a_b.flac}) would silently
 * share the first file's audio; a {@code -sub} name can likewise equal another file's real member
 * name ({@code /x/a-sub1.flac}). Both raise an {@link IllegalArgumentException} naming the two
 * files. Callers should pass paths in one normalised form (the deduper compares strings).
 */
public final class NemoMemberDeduper {
  private final Map<String, String> memberSource = new HashMap<>();
  private final Map<String, Integer> laterReferences = new HashMap<>();
  private final Map<String, String> nameOwner = new HashMap<>();

  /** Registers one manifest reference to {@code sourcePath} and says where its audio lives. */
  public NemoMemberRef reference(String sourcePath) {
    String[] split = NemoNames.split(sourcePath);
    String member = split[0] + split[1];
    String owner = memberSource.get(member);
    if (owner == null) {
      claim(member, sourcePath);
      memberSource.put(member, sourcePath);
      laterReferences.put(member, 0);
      return new NemoMemberRef(sourcePath, member, member, true);
    }
    if (!owner.equals(sourcePath)) {
      throw collision(sourcePath, member, owner);
    }
    int n = laterReferences.merge(member, 1, Integer::sum);
    String manifestName = split[0] + "-sub" + n + split[1];
    claim(manifestName, sourcePath);
    return new NemoMemberRef(sourcePath, member, manifestName, false);
  }

  /** The number of distinct members this shard stores. */
  public int storedMembers() {
    return memberSource.size();
  }

  private void claim(String name, String sourcePath) {
    String owner = nameOwner.putIfAbsent(name, sourcePath);
    if (owner != null && !owner.equals(sourcePath)) {
      throw collision(sourcePath, name, owner);
    }
  }

  private static IllegalArgumentException collision(String source, String name, String owner) {
    Objects.requireNonNull(owner);
    return new IllegalArgumentException(
        "Cannot name tar member for '"
            + source
            + "': the name '"
            + name
            + "' is already used for '"
            + owner
            + "' in this shard, and NeMo's reader would give both entries the same audio;"
            + " rename one of the files or put them in different shards");
  }
}
