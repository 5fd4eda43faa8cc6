package io.nautilus.shard.wds;

import java.io.Serializable;
import java.util.List;

/** Typed settings of a WebDataset shard run; see conf/shard/sft.yaml and image_text.yaml. */
public record WdsOptions(
    String name,
    List<String> manifests,
    List<String> allowedRoots,
    String imageKey,
    String textKey,
    int maxLineBytes,
    String outputDir,
    boolean overwrite,
    int maxcount,
    double maxsizeMb,
    boolean shuffle,
    long shuffleSeed,
    String filterMethod,
    int filterValue,
    Integer resizeSmallestSide,
    String centerCrop,
    int jpegQuality,
    double maxRejectFraction,
    int partitions)
    implements Serializable {
  public WdsOptions {
    manifests = List.copyOf(manifests);
    allowedRoots = List.copyOf(allowedRoots);
  }
}
