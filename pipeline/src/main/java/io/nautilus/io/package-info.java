/**
 * Storage on any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code s3a://}): opening
 * media, resolving manifest-relative paths safely, and committing whole files or nothing.
 */
package io.nautilus.io;
