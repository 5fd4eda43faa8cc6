/**
 * Storage on any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code s3a://}): opening
 * media, resolving manifest-relative paths safely, and committing whole files and sets of files by
 * the store's {@link io.nautilus.io.CommitProtocol} (rename where it is atomic, a commit marker
 * written last on object stores).
 */
package io.nautilus.io;
