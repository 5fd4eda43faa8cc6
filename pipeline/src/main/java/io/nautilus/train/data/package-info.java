/** Training data: shard sets with sample counts, rank splits and per-epoch feeds. */
package io.nautilus.train.data;
