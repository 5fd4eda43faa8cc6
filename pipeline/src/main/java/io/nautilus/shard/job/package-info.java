/**
 * The {@code shard} Spark job: a prepared dataset to NeMo tarred audio shards.
 *
 * <p>Shard ids are assigned deterministically on the driver's plan (order, shuffle by seed,
 * buckets, equal counts), then a repartition by shard lets each task write whole shards, streaming
 * media from storage. Every shard is written under a temporary name and renamed when complete.
 */
package io.nautilus.shard.job;
