/**
 * Tar shards on plain {@code java.io} streams, usable from a Spark task or a trainer alike.
 *
 * <ul>
 *   <li>{@link io.nautilus.shard.UstarWriter} writes plain ustar (no PAX or GNU extensions), the
 *       one tar dialect that NeMo, WebDataset, wids and DALI all read the same way.
 *   <li>{@link io.nautilus.shard.NemoNames} and {@link io.nautilus.shard.NemoMemberDeduper} name
 *       members the way NeMo's {@code convert_to_tarred_audio_dataset.py} does.
 *   <li>{@link io.nautilus.shard.ShardPatterns} expands NeMo and WebDataset shard-list patterns.
 *   <li>{@link io.nautilus.shard.TarSampleReader} and {@link io.nautilus.shard.MultiShardReader}
 *       stream WebDataset samples out of shards, refusing hostile members with a {@link
 *       io.nautilus.shard.ShardFormatException}; nothing is ever extracted to disk.
 *   <li>{@link io.nautilus.shard.WidsIndex} reads and writes the wids shard index.
 * </ul>
 */
package io.nautilus.shard;
