package io.nautilus.shard.wds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.image.CenterCrop;
import io.nautilus.image.ImageFormatException;
import io.nautilus.image.ImageResizer;
import io.nautilus.image.ResizedImage;
import io.nautilus.io.AttemptFile;
import io.nautilus.io.Storage;
import io.nautilus.shard.Md5CountingOutputStream;
import io.nautilus.shard.UstarWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes whole WebDataset shards from rows sorted by (shard, pos): each sample's members ({@code
 * .json} record, {@code .txt} text, the image) adjacent and in sorted extension order, each shard
 * published only when complete (by the store's commit protocol).
 */
final class WdsWriter implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  static final StructType RESULT =
      new StructType()
          .add("shard", DataTypes.IntegerType, false)
          .add("nsamples", DataTypes.LongType, false)
          .add("bytes", DataTypes.LongType, false)
          .add("md5", DataTypes.StringType, false);

  /** Input columns, in the order {@link #call} reads them. */
  static final String[] INPUT = {"shard", "pos", "sample_key", "line", "image_path"};

  private final Storage storage;
  private final String root;
  private final WdsOptions o;

  WdsWriter(Storage storage, String root, WdsOptions o) {
    this.storage = storage;
    this.root = root;
    this.o = o;
  }

  static String shardName(String name, int shard) {
    return String.format(Locale.ROOT, "%s-%06d.tar", name, shard);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ImageResizer resizer = resizer();
    TaskContext task = TaskContext.get();
    String attemptTag = task == null ? "0" : String.valueOf(task.taskAttemptId());
    List<Row> results = new ArrayList<>();
    int current = -1;
    AttemptFile file = null;
    Md5CountingOutputStream counted = null;
    UstarWriter tar = null;
    long samples = 0;
    try {
      while (rows.hasNext()) {
        Row r = rows.next();
        int shard = r.getInt(0);
        if (shard != current) {
          if (file != null) {
            results.add(commit(file, tar, counted, current, samples));
            file = null;
          }
          current = shard;
          samples = 0;
          file = storage.createFile(new Path(root, shardName(o.name(), shard)), attemptTag);
          counted = new Md5CountingOutputStream(new BufferedOutputStream(file.stream(), 1 << 20));
          tar = new UstarWriter(counted);
        }
        tar.putSample(r.getString(2), members(json, resizer, r));
        samples++;
      }
      if (file != null) {
        results.add(commit(file, tar, counted, current, samples));
        file = null;
      }
    } finally {
      if (file != null) {
        file.close();
      }
    }
    return results.iterator();
  }

  private SortedMap<String, byte[]> members(ObjectMapper json, ImageResizer resizer, Row r)
      throws IOException {
    SortedMap<String, byte[]> m = new TreeMap<>();
    String key = r.getString(2);
    ObjectNode record = (ObjectNode) json.readTree(r.getString(3));
    if (o.textKey() != null) {
      m.put("txt", record.get(o.textKey()).asText().getBytes(StandardCharsets.UTF_8));
    }
    if (o.imageKey() != null) {
      Path image = new Path(r.getString(4));
      byte[] bytes;
      try (InputStream in = storage.open(image)) {
        bytes = in.readAllBytes();
      }
      try {
        ResizedImage out = resizer.apply(bytes, image.toString());
        String ext = out.info().format().extension();
        m.put(ext, out.bytes());
        record.put(o.imageKey(), key + "." + ext);
        record.put("width", out.info().width());
        record.put("height", out.info().height());
      } catch (ImageFormatException e) {
        throw new IOException(
            "Cannot shard " + image + ": it no longer decodes: " + e.getMessage(), e);
      }
    }
    m.put("json", json.writeValueAsBytes(record));
    return m;
  }

  private ImageResizer resizer() {
    ImageResizer.Builder b = ImageResizer.builder().optJpegQuality(o.jpegQuality());
    if (o.resizeSmallestSide() != null) {
      b.optResizeSmallestSide(o.resizeSmallestSide());
    }
    if (o.centerCrop() != null) {
      b.optCenterCrop(CenterCrop.parse(o.centerCrop()));
    }
    return b.build();
  }

  private static Row commit(
      AttemptFile file, UstarWriter tar, Md5CountingOutputStream counted, int shard, long samples)
      throws IOException {
    tar.close();
    file.publish();
    return RowFactory.create(shard, samples, counted.count(), counted.md5Hex());
  }
}
