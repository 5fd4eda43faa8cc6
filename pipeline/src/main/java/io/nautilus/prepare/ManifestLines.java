package io.nautilus.prepare;

import io.nautilus.io.Storage;
import io.nautilus.run.UsageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Reads manifests as numbered lines, splitting large files across tasks.
 *
 * <p>Rejects must name the line they came from, and Spark's text source knows only byte offsets. A
 * first pass counts the lines of every input split; the driver turns the counts into the first line
 * number of each split; a second pass numbers the lines. Bytes are checked as UTF-8 here, before
 * anything decodes them with replacement characters.
 */
public final class ManifestLines {
  public static final String SOURCE_INDEX = "source_index";
  public static final String SOURCE = "source";
  public static final String LINE_NUMBER = "line_number";
  public static final String LINE = "line";
  public static final String LINE_BYTES = "line_bytes";
  public static final String UTF8_VALID = "utf8_valid";
  public static final String ORIGINAL_BASE64 = "original_base64";

  public static final StructType SCHEMA =
      new StructType()
          .add(SOURCE_INDEX, DataTypes.IntegerType, false)
          .add(SOURCE, DataTypes.StringType, false)
          .add(LINE_NUMBER, DataTypes.LongType, false)
          .add(LINE, DataTypes.StringType, false)
          .add(LINE_BYTES, DataTypes.IntegerType, false)
          .add(UTF8_VALID, DataTypes.BooleanType, false)
          .add(ORIGINAL_BASE64, DataTypes.StringType, true);

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private ManifestLines() {}

  /** Lines of the given manifest files; {@code total} receives the number of lines read. */
  public static Result read(SparkSession spark, List<Path> files, Configuration hadoopConf) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, Integer> sourceIndex = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      sourceIndex.put(files.get(i).toString(), i);
    }
    Job job;
    try {
      job = Job.getInstance(hadoopConf);
      FileInputFormat.setInputPaths(job, files.toArray(new Path[0]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot set up manifest input: " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> raw =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopRDD(
                job.getConfiguration(), TextInputFormat.class, LongWritable.class, Text.class);

    List<Tuple2<String, long[]>> counts =
        raw.mapPartitionsWithInputSplit(
                (split, it) -> {
                  FileSplit fs = (FileSplit) split;
                  long n = 0;
                  while (it.hasNext()) {
                    it.next();
                    n++;
                  }
                  return List.of(
                          new Tuple2<>(fs.getPath().toString(), new long[] {fs.getStart(), n}))
                      .iterator();
                },
                false)
            .collect();

    Map<String, Long> firstLine = new HashMap<>();
    Map<String, List<long[]>> byFile = new HashMap<>();
    long total = 0;
    for (Tuple2<String, long[]> c : counts) {
      byFile.computeIfAbsent(c._1(), k -> new ArrayList<>()).add(c._2());
      total += c._2()[1];
    }
    for (Map.Entry<String, List<long[]>> e : byFile.entrySet()) {
      List<long[]> splits = e.getValue();
      splits.sort((a, b) -> Long.compare(a[0], b[0]));
      long next = 1;
      for (long[] s : splits) {
        firstLine.put(key(e.getKey(), s[0]), next);
        next += s[1];
      }
    }
    Broadcast<Map<String, Long>> firstLines = jsc.broadcast(firstLine);
    Broadcast<Map<String, Integer>> indexes = jsc.broadcast(sourceIndex);

    JavaRDD<Row> rows =
        raw.mapPartitionsWithInputSplit(
            (split, it) -> {
              FileSplit fs = (FileSplit) split;
              String source = fs.getPath().toString();
              long start = firstLines.value().get(key(source, fs.getStart()));
              int index = indexes.value().getOrDefault(source, -1);
              return new NumberingIterator(it, source, index, start);
            },
            false);
    return new Result(spark.createDataFrame(rows, SCHEMA), total);
  }

  /** Expands globs, keeping the configured order; a repeated file is read once. */
  public static List<Path> expand(Storage storage, List<String> entries) {
    if (entries.isEmpty()) {
      throw new UsageException("Cannot run: input.manifests is empty; name at least one manifest");
    }
    Set<Path> files = new LinkedHashSet<>();
    for (String entry : entries) {
      Path p = storage.qualify(entry);
      FileStatus[] matches;
      try {
        matches = storage.fs(p).globStatus(p);
      } catch (IOException e) {
        throw new UsageException("Cannot read manifest " + entry + ": " + e.getMessage(), e);
      }
      if (matches == null || matches.length == 0) {
        throw new UsageException("Cannot read manifest " + entry + ": no such file");
      }
      List<Path> found = new ArrayList<>();
      for (FileStatus s : matches) {
        if (s.isDirectory()) {
          throw new UsageException(
              "Cannot read manifest "
                  + s.getPath()
                  + ": it is a directory; name the manifest files");
        }
        found.add(s.getPath());
      }
      found.sort(null);
      files.addAll(found);
    }
    return List.copyOf(files);
  }

  private static String key(String file, long start) {
    return file + "#" + start;
  }

  /** The numbered lines and how many there are. */
  public record Result(Dataset<Row> lines, long total) {}

  private static final class NumberingIterator implements Iterator<Row> {
    private final Iterator<Tuple2<LongWritable, Text>> in;
    private final String source;
    private final int index;
    private long next;

    NumberingIterator(
        Iterator<Tuple2<LongWritable, Text>> in, String source, int index, long first) {
      this.in = in;
      this.source = source;
      this.index = index;
      this.next = first;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public Row next() {
      Text text = in.next()._2();
      byte[] bytes = java.util.Arrays.copyOf(text.getBytes(), text.getLength());
      long number = next++;
      int offset = 0;
      if (number == 1 && startsWithBom(bytes)) {
        offset = UTF8_BOM.length;
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
      String line;
      boolean valid = true;
      String original = null;
      try {
        line =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(buf)
                .toString();
      } catch (CharacterCodingException e) {
        valid = false;
        line = new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
        original = Base64.getEncoder().encodeToString(bytes);
      }
      return RowFactory.create(index, source, number, line, bytes.length, valid, original);
    }

    private static boolean startsWithBom(byte[] b) {
      return b.length >= 3 && b[0] == UTF8_BOM[0] && b[1] == UTF8_BOM[1] && b[2] == UTF8_BOM[2];
    }
  }
}
