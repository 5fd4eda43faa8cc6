/**
 * The {@code shard} job's WebDataset mode: text/SFT and image-text JSONL records to {@code
 * {name}-{000000..N}.tar} shards limited by {@code maxcount} and {@code maxsize}, with a wids
 * index.
 */
package io.nautilus.shard.wds;
