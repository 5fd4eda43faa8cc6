package io.nautilus.shard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a shard's bytes by URL. Keeps this package free of any storage library: a Spark task passes
 * {@code url -> storage.open(new Path(url))}, a test passes a map lookup.
 */
@FunctionalInterface
public interface ShardOpener {
  /** A fresh stream over the shard at {@code url}; the reader closes it. */
  InputStream open(String url) throws IOException;

  /** Opens local paths and {@code file:} URIs. */
  static ShardOpener localFiles() {
    return url ->
        Files.newInputStream(url.startsWith("file:") ? Path.of(URI.create(url)) : Path.of(url));
  }
}
