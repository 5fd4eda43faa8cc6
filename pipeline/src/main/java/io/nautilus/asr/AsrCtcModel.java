package io.nautilus.asr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.asr.ctc.CtcLoss;
import io.nautilus.asr.ctc.Reduction;
import io.nautilus.asr.features.Features;
import io.nautilus.asr.features.MelConfig;
import io.nautilus.asr.features.MelFrontEnd;
import io.nautilus.asr.features.SpecAugment;
import io.nautilus.asr.model.AsrModelConfig;
import io.nautilus.asr.model.AsrNetwork;
import io.nautilus.asr.text.CharTokenizer;
import io.nautilus.asr.text.CtcDecoder;
import io.nautilus.asr.text.UtteranceErrors;
import io.nautilus.audio.AudioDecoder;
import io.nautilus.audio.AudioFormatException;
import io.nautilus.audio.DecodedAudio;
import io.nautilus.audio.dsp.Downmix;
import io.nautilus.audio.dsp.Resampler;
import io.nautilus.shard.Sample;
import io.nautilus.train.model.TrainModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A NeMo-style CTC speech recogniser for the training engine: log-mel front end (+ SpecAugment
 * while training), an encoder with a CTC head, CTC loss with {@code mean_batch} reduction and
 * {@code zero_infinity}, greedy decoding for the validation WER and CER.
 *
 * <p>Samples come from NeMo tarred audio shards (audio member + the manifest entry's {@code text})
 * or from WebDataset shards with an audio member and a {@code .txt} or {@code .json} transcript.
 * Audio at another rate is resampled to the front end's rate; text outside the labels fails with
 * the tokenizer's message naming the character (normalise it in {@code prepare}).
 */
public final class AsrCtcModel implements TrainModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> AUDIO = List.of("wav", "flac");

  private final AsrNetwork network;
  private final CharTokenizer tokenizer;
  private final CtcDecoder decoder;
  private final MelFrontEnd frontEnd;
  private final SpecAugment specAugment;
  private final long seed;
  private final Map<Integer, Resampler> resamplers = new ConcurrentHashMap<>();
  private long calls;

  /**
   * @param specAugment applied while training; null for none
   * @param seed seeds dither and SpecAugment, mixed with a call counter
   */
  public AsrCtcModel(AsrModelConfig net, MelConfig mel, SpecAugment specAugment, long seed) {
    this.network = new AsrNetwork(net);
    this.tokenizer = net.tokenizer();
    this.decoder = CtcDecoder.forTokenizer(tokenizer);
    this.frontEnd = new MelFrontEnd(mel);
    this.specAugment = specAugment;
    this.seed = seed;
    if (net.encoder().featIn() != mel.features()) {
      throw new IllegalArgumentException(
          "Cannot build the ASR model: model.encoder.feat_in is "
              + net.encoder().featIn()
              + " but model.preprocessor.features is "
              + mel.features());
    }
  }

  public AsrNetwork network() {
    return network;
  }

  public CharTokenizer tokenizer() {
    return tokenizer;
  }

  public MelFrontEnd frontEnd() {
    return frontEnd;
  }

  @Override
  public Block block() {
    return network;
  }

  @Override
  public Shape[] inputShapes() {
    return network.inputShapes();
  }

  @Override
  public LinkedHashMap<String, NDArray> buffers() {
    return network.runningStatistics();
  }

  /** Mono samples at the front end's rate. */
  public float[] audio(Sample s) {
    for (String ext : AUDIO) {
      byte[] bytes = s.members().get(ext);
      if (bytes != null) {
        try {
          return audio(AudioDecoder.decode(new ByteArrayInputStream(bytes), s.key() + "." + ext));
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Cannot decode " + s.key() + "." + ext + " of " + s.url() + ": " + e.getMessage(), e);
        } catch (AudioFormatException e) {
          throw new IllegalArgumentException(
              "Cannot decode " + s.key() + "." + ext + " of " + s.url() + ": " + e.getMessage(), e);
        }
      }
    }
    throw new IllegalArgumentException(
        "Cannot train on sample " + s.key() + " of " + s.url() + ": it has no wav or flac member");
  }

  /** Decoded audio as mono samples at the front end's rate. */
  public float[] audio(DecodedAudio d) {
    float[] mono = Downmix.toMono(d.samples());
    int rate = frontEnd.config().sampleRate();
    if (d.sampleRate() == rate) {
      return mono;
    }
    return resamplers.computeIfAbsent(d.sampleRate(), r -> Resampler.of(r, rate)).resample(mono);
  }

  /** The reference transcript: the manifest entry's text, else a .txt member. */
  public static String text(Sample s) {
    byte[] json = s.members().get("json");
    if (json != null) {
      try {
        JsonNode entry = JSON.readTree(json);
        if (entry.hasNonNull("text")) {
          return entry.get("text").asText();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read the entry of " + s.key() + " in " + s.url() + ": " + e.getMessage(), e);
      }
    }
    byte[] txt = s.members().get("txt");
    if (txt != null) {
      return new String(txt, StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "Cannot train on sample " + s.key() + " of " + s.url() + ": it has no transcript");
  }

  /** (audio (B, N) float, audio lengths (B) int, targets (B, S) int, target lengths (B) int). */
  @Override
  public NDList collate(List<Sample> samples, NDManager manager) {
    List<float[]> audio = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    for (Sample s : samples) {
      audio.add(audio(s));
      labels.add(tokenizer.encode(text(s)));
    }
    NDList batch = audioBatch(audio, manager);
    int maxS = Math.max(1, labels.stream().mapToInt(l -> l.length).max().orElse(1));
    int[] targets = new int[samples.size() * maxS];
    int[] targetLengths = new int[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      int[] l = labels.get(i);
      System.arraycopy(l, 0, targets, i * maxS, l.length);
      targetLengths[i] = l.length;
    }
    batch.add(manager.create(targets, new Shape(samples.size(), maxS)));
    batch.add(manager.create(targetLengths));
    return batch;
  }

  /** Zero-padded audio (B, N) and lengths (B). */
  public static NDList audioBatch(List<float[]> audio, NDManager manager) {
    int maxN = Math.max(1, audio.stream().mapToInt(a -> a.length).max().orElse(1));
    float[] flat = new float[audio.size() * maxN];
    int[] lengths = new int[audio.size()];
    for (int i = 0; i < audio.size(); i++) {
      float[] a = audio.get(i);
      System.arraycopy(a, 0, flat, i * maxN, a.length);
      lengths[i] = a.length;
    }
    return new NDList(manager.create(flat, new Shape(audio.size(), maxN)), manager.create(lengths));
  }

  /** Log-probabilities (B, T', V+1) and output lengths (B) for a batch's audio. */
  public NDList logProbs(NDArray audio, NDArray lengths, boolean training) {
    long s = seed ^ (0x9E3779B97F4A7C15L * ++calls);
    Features f = frontEnd.compute(audio, lengths.toIntArray(), training, s);
    NDArray features = f.features();
    if (training && specAugment != null) {
      features = specAugment.apply(features, f.lengths(), s + 1);
    }
    NDArray frames = audio.getManager().create(f.lengths());
    return network.forward(
        new ParameterStore(audio.getManager(), false), new NDList(features, frames), training);
  }

  @Override
  public NDArray loss(NDList batch, boolean training) {
    NDList out = logProbs(batch.get(0), batch.get(1), training);
    return CtcLoss.loss(
        out.get(0),
        out.get(1),
        batch.get(2),
        batch.get(3),
        network.blank(),
        Reduction.MEAN_BATCH,
        true);
  }

  /** Greedy transcripts of a batch's audio. */
  public List<String> transcribe(NDArray audio, NDArray lengths) {
    NDList out = logProbs(audio, lengths, false);
    return decode(out.get(0), out.get(1));
  }

  private List<String> decode(NDArray logProbs, NDArray outLengths) {
    long[] shape = logProbs.getShape().getShape();
    int b = (int) shape[0];
    int t = (int) shape[1];
    int v = (int) shape[2];
    // Argmax on the device, then only (B, T) ids come to the host.
    int[] ids = logProbs.argMax(2).toType(DataType.INT32, false).toIntArray();
    long[] lens = outLengths.toType(DataType.INT64, false).toLongArray();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      int[] row = new int[t];
      System.arraycopy(ids, i * t, row, 0, t);
      texts.add(tokenizer.decode(decoder.greedy(row, (int) lens[i])));
    }
    return texts;
  }

  @Override
  public Map<String, double[]> evaluate(NDList batch) {
    NDList out = logProbs(batch.get(0), batch.get(1), false);
    NDArray losses =
        CtcLoss.loss(
            out.get(0),
            out.get(1),
            batch.get(2),
            batch.get(3),
            network.blank(),
            Reduction.NONE,
            true);
    List<String> hyps = decode(out.get(0), out.get(1));
    int[] targets = batch.get(2).toIntArray();
    int[] targetLengths = batch.get(3).toIntArray();
    int maxS = (int) batch.get(2).getShape().get(1);
    double[] wer = new double[2];
    double[] cer = new double[2];
    for (int i = 0; i < hyps.size(); i++) {
      int[] ref = new int[targetLengths[i]];
      System.arraycopy(targets, i * maxS, ref, 0, ref.length);
      UtteranceErrors e = UtteranceErrors.of(tokenizer.decode(ref), hyps.get(i));
      wer[0] += e.wordErrors();
      wer[1] += e.referenceWords();
      cer[0] += e.charErrors();
      cer[1] += e.referenceChars();
    }
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("val_loss", new double[] {losses.sum().getFloat(), losses.size()});
    m.put("val_wer", wer);
    m.put("val_cer", cer);
    return m;
  }

  @Override
  public List<String> validationMetrics() {
    return List.of("val_cer", "val_loss", "val_wer");
  }
}
