/**
 * Training checkpoints on any Hadoop file system ({@code file://}, {@code hdfs://}, {@code
 * s3a://}): a compact binary format ({@link io.nautilus.train.ckpt.CheckpointIO}), NeMo's top-k and
 * last checkpoint files ({@link io.nautilus.train.ckpt.CheckpointManager}) and its resume rules
 * ({@link io.nautilus.train.ckpt.ResumePolicy}). Plain float arrays: this package imports no DJL
 * and no Spark.
 *
 * <h2>File format, version 1</h2>
 *
 * <p>All integers little-endian.
 *
 * <pre>
 * offset        size  content
 * 0             8     magic, ASCII "NAUTCKPT"
 * 8             4     format version, u32 = 1
 * 12            4     header length H in bytes, u32
 * 16            8     data length D in bytes, u64
 * 24            H     header: UTF-8 JSON, padded with spaces so that 24 + H is a multiple of 64
 * 24 + H        D     data: each tensor's values as float32, row-major, in header order, no gaps
 * 24 + H + D    32    SHA-256 of every byte before it (preamble, header, data)
 * </pre>
 *
 * <p>The header is {@code {"format":"nautilus-checkpoint","meta":{...},"tensors":[{"name":
 * "model/w","dtype":"float32","shape":[2,3],"offset":0}, ...]}}: {@code meta} is the caller's map
 * (NaN and infinities written bare, as Python's {@code json} does); {@code offset} is the tensor's
 * first byte within the data section. A tensor of shape {@code []} holds one value.
 *
 * <p>A reader checks, in this order: the magic (else "not a Nautilus checkpoint"), the version, the
 * file size against 24 + H + D + 32 (else "truncated", before allocating anything), then reads
 * header and data in one pass through SHA-256 and compares the stored digest. A header that does
 * not parse is reported as a checksum mismatch when the digest disagrees: a flipped byte is
 * corruption, not a new format. Writing and reading stream through a 1 MiB buffer, so a 500 MB
 * checkpoint costs its tensors' memory and no second copy.
 *
 * <h2>Atomicity</h2>
 *
 * <p>A file is written through {@link io.nautilus.io.Storage#writeAtomically}. On local files and
 * HDFS it goes to a hidden temporary name ({@code .<name>.tmp-<uuid>}) renamed into place, so a
 * reader never sees a partial file; temporaries left by a killed writer are removed when a {@link
 * io.nautilus.train.ckpt.CheckpointManager} next opens the directory. On S3 the object is written
 * straight to its final key: S3 shows an object only once its upload (single PUT or multipart)
 * completes, and a failed writer aborts the upload, so one file needs no commit marker. Either way
 * the checksum catches what the store does not: a file cut short or damaged later.
 *
 * <h2>Directory layout</h2>
 *
 * <pre>
 * {prefix}--{monitor}={value:.4f}-epoch={epoch}-step={step}.ckpt        top-k candidates
 * {prefix}--{monitor}={value:.4f}-epoch={epoch}-step={step}-last.ckpt   the last checkpoint
 * {prefix}--epoch={epoch}-step={step}-last.ckpt                         ... with no monitor value
 * {prefix}--step={step}-end.ckpt                                        the run has finished
 * </pre>
 *
 * <p>The names carry all state: ranking is rebuilt from them after a restart, by the value as the
 * name shows it (4 decimals).
 */
package io.nautilus.train.ckpt;
