package io.nautilus.shard;

/**
 * Where one manifest entry's audio lives in a NeMo shard.
 *
 * @param sourcePath the file the entry references
 * @param memberName the tar member holding its bytes
 * @param manifestName the entry's {@code audio_filepath} in the shard's manifest: {@code
 *     memberName} for the first reference, {@code base-sub{N}.ext} for later ones
 * @param store true for the first reference, whose bytes the caller must write as {@code
 *     memberName}; false when the bytes are already in the shard
 */
public record NemoMemberRef(
    String sourcePath, String memberName, String manifestName, boolean store) {}
