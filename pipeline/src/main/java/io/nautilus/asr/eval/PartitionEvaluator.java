package io.nautilus.asr.eval;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nautilus.asr.AsrCtcModel;
import io.nautilus.asr.text.UtteranceErrors;
import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.audio.DecodedAudio;
import io.nautilus.io.MediaPaths;
import io.nautilus.io.Storage;
import io.nautilus.train.TrainedModel;
import io.nautilus.train.engine.Autograd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: loads the model once, checks every line (rejecting bad ones with a reason),
 * sorts the good ones by duration so a batch pads little, then transcribes and scores them batch by
 * batch. Only a batch's audio is decoded at a time.
 */
final class PartitionEvaluator implements FlatMapFunction<Iterator<Row>, Row> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Storage storage;
  private final String checkpoint;
  private final boolean useEma;
  private final String accelerator;
  private final int batchSize;
  private final TextProcessing text;

  PartitionEvaluator(Storage storage, String checkpoint, EvaluateOptions o) {
    this.storage = storage;
    this.checkpoint = checkpoint;
    this.useEma = o.useEma();
    this.accelerator = o.accelerator();
    this.batchSize = o.batchSize();
    this.text = o.text();
  }

  /** A line that passed the checks, waiting for its batch. */
  private record Pending(Row input, ObjectNode entry, String reference, double duration) {}

  @Override
  public Iterator<Row> call(Iterator<Row> in) throws IOException {
    List<Row> out = new ArrayList<>();
    if (!in.hasNext()) {
      return out.iterator();
    }
    useTaskCpus();
    try (TrainedModel trained =
            TrainedModel.load(storage, checkpoint, TaskDevices.of(accelerator), useEma);
        Autograd off = Autograd.pause()) {
      if (!(trained.model() instanceof AsrCtcModel model)) {
        throw new IllegalArgumentException(
            "Cannot evaluate "
                + checkpoint
                + ": it is a "
                + trained.options().modelName()
                + " model, not a speech model (asr_ctc)");
      }
      List<Pending> pending = new ArrayList<>();
      while (in.hasNext()) {
        Row row = in.next();
        Pending p = check(row, model, out);
        if (p != null) {
          pending.add(p);
        }
      }
      pending.sort(Comparator.comparingDouble(Pending::duration));
      for (int i = 0; i < pending.size(); i += batchSize) {
        score(
            model,
            trained.manager(),
            pending.subList(i, Math.min(i + batchSize, pending.size())),
            out);
      }
    }
    return out.iterator();
  }

  /** libtorch's intra-op pool is per process; tasks sharing an executor use their own CPUs. */
  private static void useTaskCpus() {
    int cpus = 1;
    if (SparkEnv.get() != null) {
      cpus = Integer.parseInt(SparkEnv.get().conf().get("spark.task.cpus", "1"));
    }
    ai.djl.engine.Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(Math.max(1, cpus));
  }

  private Pending check(Row row, AsrCtcModel model, List<Row> out) {
    if (!row.getBoolean(4)) {
      out.add(reject(row, EvalRejectReason.INVALID_LINE, "the line is not valid UTF-8"));
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(row.getString(3));
    } catch (JsonProcessingException e) {
      out.add(
          reject(
              row,
              EvalRejectReason.INVALID_LINE,
              "the line is not JSON: " + e.getOriginalMessage()));
      return null;
    }
    if (!(node instanceof ObjectNode entry)) {
      out.add(reject(row, EvalRejectReason.INVALID_LINE, "the line is not a JSON object"));
      return null;
    }
    if (!entry.path("audio_filepath").isTextual()
        || entry.get("audio_filepath").asText().isBlank()) {
      out.add(reject(row, EvalRejectReason.INVALID_LINE, "the entry has no audio_filepath"));
      return null;
    }
    if (!entry.path("text").isTextual()) {
      out.add(reject(row, EvalRejectReason.MISSING_TEXT, "the entry has no text to score against"));
      return null;
    }
    String reference = text.apply(entry.get("text").asText());
    Optional<String> unsupported = model.tokenizer().unsupported(reference);
    if (unsupported.isPresent()) {
      out.add(
          reject(
              row,
              EvalRejectReason.UNSUPPORTED_TEXT,
              unsupported.get()
                  + " of the model; normalise the text in prepare or set text_processing.*"));
      return null;
    }
    return new Pending(row, entry, reference, entry.path("duration").asDouble(0));
  }

  private void score(AsrCtcModel model, NDManager manager, List<Pending> batch, List<Row> out) {
    List<float[]> audio = new ArrayList<>();
    List<Pending> ok = new ArrayList<>();
    for (Pending p : batch) {
      try {
        float[] samples = model.audio(decode(p));
        if (samples.length == 0) {
          out.add(reject(p.input(), EvalRejectReason.UNREADABLE_AUDIO, "the audio has no samples"));
          continue;
        }
        audio.add(samples);
        ok.add(p);
      } catch (IOException
          | UncheckedIOException
          | AudioFormatException
          | IllegalArgumentException e) {
        out.add(reject(p.input(), EvalRejectReason.UNREADABLE_AUDIO, e.getMessage()));
      }
    }
    if (ok.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    List<String> predictions;
    try (NDManager scoped = manager.newSubManager()) {
      NDList b = AsrCtcModel.audioBatch(audio, scoped);
      predictions = model.transcribe(b.get(0), b.get(1));
    }
    // The batch's model time, shared equally: the sum over all lines is the model time.
    double seconds = (System.nanoTime() - started) / 1e9 / ok.size();
    int rate = model.frontEnd().config().sampleRate();
    for (int i = 0; i < ok.size(); i++) {
      Pending p = ok.get(i);
      String predicted = predictions.get(i);
      UtteranceErrors e = UtteranceErrors.of(p.reference(), text.apply(predicted));
      ObjectNode entry = p.entry();
      entry.put("pred_text", predicted);
      putRate(entry, "wer", e.wer());
      putRate(entry, "cer", e.cer());
      entry.put("word_errors", e.wordErrors());
      entry.put("ref_words", e.referenceWords());
      entry.put("char_errors", e.charErrors());
      entry.put("ref_chars", e.referenceChars());
      out.add(
          RowFactory.create(
              p.input().getInt(0),
              p.input().getLong(2),
              null,
              entry.toString(),
              (long) e.wordErrors(),
              (long) e.referenceWords(),
              (long) e.charErrors(),
              (long) e.referenceChars(),
              (long) e.substitutions(),
              (long) e.insertions(),
              (long) e.deletions(),
              (double) audio.get(i).length / rate,
              seconds));
    }
  }

  /** NaN (an empty reference) has no JSON spelling; NeMo's readers take null. */
  private static void putRate(ObjectNode entry, String key, double rate) {
    if (Double.isNaN(rate)) {
      entry.putNull(key);
    } else {
      entry.put(key, rate);
    }
  }

  /** The entry's audio, or its {@code [offset, offset + duration)} slice when it has an offset. */
  private DecodedAudio decode(Pending p) throws IOException, AudioFormatException {
    String ref = p.entry().get("audio_filepath").asText();
    byte[] member = p.input().isNullAt(5) ? null : (byte[]) p.input().get(5);
    String name;
    InputStream in;
    if (member != null) {
      name = ref + " in " + p.input().getString(1);
      in = new ByteArrayInputStream(member);
    } else {
      String dir = new Path(p.input().getString(1)).getParent().toString();
      name = MediaPaths.resolve(dir, ref);
      try {
        in = storage.open(new Path(name));
      } catch (IOException e) {
        throw new IOException("Cannot read " + name + ": " + e.getMessage(), e);
      }
    }
    try (InputStream audio = in) {
      if (p.entry().hasNonNull("offset")) {
        return AudioDecoder.decode(
            audio,
            name,
            p.entry().get("offset").asDouble(),
            p.entry().path("duration").asDouble(-1));
      }
      return AudioDecoder.decode(audio, name);
    }
  }

  private static Row reject(Row input, EvalRejectReason reason, String message) {
    ObjectNode r = JSON.createObjectNode();
    r.put("source", input.getString(1));
    r.put("line_number", input.getLong(2));
    r.put("reason", reason.name());
    r.put("message", message);
    r.put("line", input.getString(3));
    return EvalRows.rejected(input, r.toString(), reason);
  }
}
