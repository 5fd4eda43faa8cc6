package io.nautilus.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.nautilus.dist.GradientBuckets;
import io.nautilus.dist.ProcessGroup;
import io.nautilus.dist.ScalarOp;
import io.nautilus.io.Storage;
import io.nautilus.shard.MultiShardReader;
import io.nautilus.shard.Sample;
import io.nautilus.shard.ShardOpener;
import io.nautilus.train.ckpt.Checkpoint;
import io.nautilus.train.ckpt.CheckpointIO;
import io.nautilus.train.ckpt.CheckpointManager;
import io.nautilus.train.ckpt.CheckpointPolicy;
import io.nautilus.train.ckpt.ResumePolicy;
import io.nautilus.train.ckpt.Tensor;
import io.nautilus.train.data.EpochFeed;
import io.nautilus.train.data.ShardSet;
import io.nautilus.train.engine.Autograd;
import io.nautilus.train.engine.ParamSet;
import io.nautilus.train.engine.Scalars;
import io.nautilus.train.metrics.CsvMetricsWriter;
import io.nautilus.train.metrics.MetricsWriter;
import io.nautilus.train.metrics.TensorBoardWriter;
import io.nautilus.train.model.Models;
import io.nautilus.train.model.TrainModel;
import io.nautilus.train.optim.Ema;
import io.nautilus.train.optim.Optimizer;
import io.nautilus.train.optim.OptimizerState;
import io.nautilus.train.optim.Optimizers;
import io.nautilus.train.sched.LrSchedule;
import io.nautilus.train.sched.LrSchedules;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data-parallel rank: builds the model, agrees on the starting point with the other ranks, then
 * runs the optimizer steps of the plan. Every rank sees the same all-reduced gradients, so every
 * rank takes the same decisions (skip a NaN step, clip, validate, stop) without extra talk. Rank 0
 * alone writes metrics and checkpoints.
 */
public final class RankTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(RankTrainer.class);

  private final TaskPlan plan;
  private final TrainOptions o;
  private final ProcessGroup group;
  private final int rank;
  private final Device device;
  private final Storage storage;
  private final Path versionDir;
  private final ShardOpener opener;

  private long step;
  private long epoch;
  private long stepInEpoch;
  private long skipped;
  private long skippedInARow;
  private double lastLoss = Double.NaN;
  private Map<String, Double> lastValidation = new TreeMap<>();
  private double commSeconds;
  private TrainModel model;

  public RankTrainer(TaskPlan plan, ProcessGroup group, Device device) {
    this.plan = plan;
    this.o = plan.options();
    this.group = group;
    this.rank = group.rank();
    this.device = device;
    this.storage = plan.storage();
    this.versionDir = new Path(plan.versionDir());
    this.opener = url -> storage.open(new Path(url));
  }

  public RankResult run() throws IOException {
    // Grad mode is per thread and on by default in a Spark task thread: keep it off except where
    // a loss is recorded, so validation and updates build no graphs.
    try (Autograd off = Autograd.pause();
        NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
      model = Models.create(o, rank);
      try (Autograd paused = Autograd.pause()) {
        model.block().initialize(manager, DataType.FLOAT32, model.inputShapes());
      }
      ParamSet params = ParamSet.of(model.block());
      params.initialize(o.seed());
      Optimizer optimizer = Optimizers.create(o.optimizer(), o.optimizerArgs());
      LrSchedule schedule =
          o.schedule() == null
              ? LrSchedules.create("ConstantLR", optimizer.baseLr(), Map.of(), plan.maxSteps())
              : LrSchedules.create(
                  o.schedule(), optimizer.baseLr(), o.scheduleArgs(), plan.maxSteps());
      Ema ema = o.ema() ? new Ema(o.emaDecay(), o.emaEveryNSteps()) : null;
      GradientBuckets.Builder bb = GradientBuckets.builder().optBucketBytes(o.bucketBytes());
      for (int i = 0; i < params.size(); i++) {
        bb.add(params.names().get(i), params.length(i));
      }
      GradientBuckets buckets = bb.build();
      CheckpointManager checkpoints =
          new CheckpointManager(
              storage,
              new Path(versionDir, "checkpoints"),
              new CheckpointPolicy(o.monitor(), o.mode(), o.saveTopK(), o.saveLast(), o.expName()));

      String resumedFrom = agreeOnStart(checkpoints);
      if (resumedFrom != null) {
        restore(CheckpointIO.read(storage, new Path(resumedFrom)), params, optimizer, ema, manager);
      } else {
        params.broadcast(group, 0);
      }
      if (ema != null && !ema.initialized()) {
        // NeMo starts the average from the weights before the first update.
        ema.init(params.names(), params.weights());
      }
      if (step >= plan.maxSteps()) {
        LOG.info("Rank {}: the run already reached step {}; nothing to train", rank, step);
      }
      long started = System.nanoTime();
      try (MetricsWriter metrics = rank == 0 ? openMetrics() : null) {
        train(model, params, optimizer, schedule, ema, buckets, checkpoints, manager, metrics);
        if (metrics != null) {
          metrics.flush();
        }
      }
      group.barrier();
      double seconds = (System.nanoTime() - started) / 1e9;
      return new RankResult(
          rank,
          step,
          resumedFrom,
          skipped,
          lastLoss,
          lastValidation,
          seconds,
          commSeconds,
          rank == 0 ? params.toHost() : null);
    }
  }

  /** Rank 0 decides where the run starts and tells the others, so all load the same file. */
  private String agreeOnStart(CheckpointManager checkpoints) throws IOException {
    String chosen = "";
    if (rank == 0) {
      boolean retry = plan.attempt() > 0;
      ResumePolicy policy =
          new ResumePolicy(
              o.resumeIfExists() || retry,
              o.resumeIgnoreNoCheckpoint() || retry,
              retry ? null : o.resumeFromCheckpoint(),
              o.resumePastEnd() || retry);
      Optional<CheckpointManager.Loaded> start = policy.resolve(checkpoints);
      checkpoints.warnings().forEach(w -> LOG.warn("{}", w));
      if (start.isPresent()) {
        chosen = start.get().path().toString();
        LOG.info("Resuming from {}", chosen);
      } else if (retry) {
        LOG.warn("Restart {}: no checkpoint yet, training again from the start", plan.attempt());
      }
    }
    List<byte[]> all = group.allGather(chosen.getBytes(StandardCharsets.UTF_8));
    String decided = new String(all.get(0), StandardCharsets.UTF_8);
    return decided.isEmpty() ? null : decided;
  }

  private MetricsWriter openMetrics() throws IOException {
    List<MetricsWriter> writers = new ArrayList<>();
    String suffix = plan.attempt() == 0 ? "" : ".restart" + plan.attempt();
    OutputStream csv =
        storage.fs(versionDir).create(new Path(versionDir, "metrics" + suffix + ".csv"), true);
    writers.add(new CsvMetricsWriter(csv));
    if (o.tensorboard()) {
      String name =
          "events.out.tfevents."
              + (System.currentTimeMillis() / 1000)
              + "."
              + InetAddress.getLocalHost().getHostName()
              + "."
              + ManagementFactory.getRuntimeMXBean().getPid()
              + "."
              + plan.attempt();
      writers.add(new TensorBoardWriter(storage.fs(versionDir).create(new Path(versionDir, name))));
    }
    return new MetricsWriter() {
      @Override
      public void scalar(String tag, float value, long s) throws IOException {
        for (MetricsWriter w : writers) {
          w.scalar(tag, value, s);
        }
      }

      @Override
      public void flush() throws IOException {
        for (MetricsWriter w : writers) {
          w.flush();
        }
      }

      @Override
      public void close() throws IOException {
        for (MetricsWriter w : writers) {
          w.close();
        }
      }
    };
  }

  private void train(
      TrainModel model,
      ParamSet params,
      Optimizer optimizer,
      LrSchedule schedule,
      Ema ema,
      GradientBuckets buckets,
      CheckpointManager checkpoints,
      NDManager manager,
      MetricsWriter metrics)
      throws IOException {
    long valEvery = validationInterval();
    boolean savedAtEnd = false;
    while (step < plan.maxSteps()) {
      try (EpochFeed feed =
          new EpochFeed(
              plan.train(),
              opener,
              o.split(),
              rank,
              o.worldSize(),
              o.shuffleN(),
              o.seed(),
              epoch,
              o.microBatchSize())) {
        feed.skip(stepInEpoch * o.accumulation());
        long windowStart = System.nanoTime();
        long windowSteps = 0;
        while (stepInEpoch < plan.stepsPerEpoch() && step < plan.maxSteps()) {
          stopIfCancelled();
          boolean updated = oneStep(model, params, optimizer, schedule, buckets, feed, manager);
          stepInEpoch++;
          savedAtEnd = false;
          if (!updated) {
            continue;
          }
          windowSteps++;
          if (ema != null) {
            try (Autograd paused = Autograd.pause()) {
              ema.update(step, params.names(), params.weights());
            }
          }
          maybeFail();
          if (metrics != null && step % o.logEveryNSteps() == 0) {
            double secs = (System.nanoTime() - windowStart) / 1e9;
            metrics.scalar("train_loss", (float) lastLoss, step);
            metrics.scalar("lr", (float) schedule.lr(step - 1), step);
            metrics.scalar("grad_norm", (float) lastGradNorm, step);
            metrics.scalar(
                "train_samples_per_second",
                (float) (windowSteps * o.globalBatchSize() / Math.max(secs, 1e-9)),
                step);
            metrics.scalar("epoch", epoch, step);
            windowStart = System.nanoTime();
            windowSteps = 0;
            LOG.info(
                "step {} epoch {} loss {} lr {} grad_norm {}",
                step,
                epoch,
                String.format("%.4f", lastLoss),
                String.format("%.3g", schedule.lr(step - 1)),
                String.format("%.3g", lastGradNorm));
          }
          if (valEvery > 0 && step % valEvery == 0) {
            validate(model, manager, metrics);
          }
          if (o.everyNTrainSteps() > 0 && step % o.everyNTrainSteps() == 0) {
            save(checkpoints, params, optimizer, ema);
            savedAtEnd = true;
          }
        }
      }
      if (stepInEpoch >= plan.stepsPerEpoch()) {
        epoch++;
        stepInEpoch = 0;
        if (valEvery == 0) {
          validate(model, manager, metrics);
        }
        if (o.everyNEpochs() > 0 && epoch % o.everyNEpochs() == 0 && !savedAtEnd) {
          save(checkpoints, params, optimizer, ema);
          savedAtEnd = true;
        }
      }
    }
    if (!savedAtEnd) {
      if (valEvery == 0 && stepInEpoch > 0) {
        validate(model, manager, metrics);
      }
      save(checkpoints, params, optimizer, ema);
    }
    if (rank == 0 && o.checkpoints()) {
      checkpoints.markEnd(step);
    }
  }

  private double lastGradNorm = Double.NaN;

  /** One optimizer step over {@code accumulation} micro-batches; false when skipped (NaN/Inf). */
  private boolean oneStep(
      TrainModel model,
      ParamSet params,
      Optimizer optimizer,
      LrSchedule schedule,
      GradientBuckets buckets,
      EpochFeed feed,
      NDManager manager) {
    List<float[]> sums = params.newHostArrays();
    double loss = 0;
    for (int a = 0; a < o.accumulation(); a++) {
      List<Sample> samples = feed.next();
      try (NDManager sub = manager.newSubManager()) {
        NDList batch = model.collate(samples, sub);
        try (Autograd recording = Autograd.record()) {
          NDArray l = model.loss(batch, true);
          loss += l.getFloat();
          recording.backward(l.div(Scalars.of(l, o.accumulation())));
        }
      }
      params.addGradientsTo(sums);
      params.zeroGradients();
    }
    long attempted = epoch * plan.stepsPerEpoch() + stepInEpoch;
    if (rank == 0 && o.nonfiniteAtSteps().contains((int) attempted)) {
      loss = Double.NaN;
    }
    long t0 = System.nanoTime();
    buckets.allReduceMean(group, sums);
    double meanLoss = group.allReduceScalar(loss / o.accumulation(), ScalarOp.SUM) / o.worldSize();
    commSeconds += (System.nanoTime() - t0) / 1e9;
    double norm = 0;
    for (float[] g : sums) {
      for (float v : g) {
        norm += (double) v * v;
      }
    }
    norm = Math.sqrt(norm);
    if (!Double.isFinite(meanLoss) || !Double.isFinite(norm)) {
      skipped++;
      skippedInARow++;
      LOG.warn(
          "Skipping step {} (epoch {}): loss {} gradient norm {} ({} in a row)",
          step,
          epoch,
          meanLoss,
          norm,
          skippedInARow);
      if (skippedInARow >= o.maxNonfiniteSteps()) {
        throw new IllegalStateException(
            "Cannot train: "
                + skippedInARow
                + " optimizer steps in a row had a NaN or infinite loss or gradient (last at step "
                + step
                + ", epoch "
                + epoch
                + "); lower model.optim.lr, set trainer.gradient_clip_val, or check the data."
                + " trainer.max_nonfinite_steps = "
                + o.maxNonfiniteSteps());
      }
      return false;
    }
    skippedInARow = 0;
    lastLoss = meanLoss;
    lastGradNorm = norm;
    if (o.gradientClipVal() > 0 && norm > o.gradientClipVal()) {
      float scale = (float) (o.gradientClipVal() / (norm + 1e-6));
      for (float[] g : sums) {
        for (int k = 0; k < g.length; k++) {
          g[k] *= scale;
        }
      }
    }
    double lr = schedule.lr(step);
    try (NDManager sub = manager.newSubManager();
        Autograd paused = Autograd.pause()) {
      List<NDArray> grads = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        grads.add(sub.create(sums.get(i), params.shape(i)));
      }
      optimizer.step(params.names(), params.weights(), grads, lr);
    }
    step++;
    return true;
  }

  /** Steps between validations; 0 = at the end of each epoch. */
  private long validationInterval() {
    double v = o.valCheckInterval();
    if (v > 1.0) {
      return (long) v;
    }
    if (v >= 1.0) {
      return 0;
    }
    return Math.max(1, Math.round(v * plan.stepsPerEpoch()));
  }

  /** Every rank evaluates its stride of the validation shards; the sums are added over ranks. */
  private void validate(TrainModel model, NDManager manager, MetricsWriter metrics)
      throws IOException {
    ShardSet val = plan.validation();
    if (val == null) {
      return;
    }
    syncBuffers(model);
    Map<String, double[]> sums = new TreeMap<>();
    for (String name : model.validationMetrics()) {
      sums.put(name, new double[2]);
    }
    try (MultiShardReader reader =
            MultiShardReader.builder().setShards(val.urls()).setOpener(opener).build();
        Autograd paused = Autograd.pause()) {
      java.util.Iterator<Sample> samples = EpochFeed.open(reader, val, opener);
      List<Sample> batch = new ArrayList<>();
      long i = 0;
      while (samples.hasNext()) {
        Sample s = samples.next();
        if (i++ % o.worldSize() == rank) {
          batch.add(s);
        }
        if (batch.size() == o.validationBatchSize() || (!samples.hasNext() && !batch.isEmpty())) {
          try (NDManager sub = manager.newSubManager()) {
            for (Map.Entry<String, double[]> e :
                model.evaluate(model.collate(batch, sub)).entrySet()) {
              double[] acc = sums.get(e.getKey());
              acc[0] += e.getValue()[0];
              acc[1] += e.getValue()[1];
            }
          }
          batch.clear();
        }
      }
    }
    lastValidation = new TreeMap<>();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      double total = group.allReduceScalar(e.getValue()[0], ScalarOp.SUM);
      double count = group.allReduceScalar(e.getValue()[1], ScalarOp.SUM);
      double value = count == 0 ? Double.NaN : total / count;
      lastValidation.put(e.getKey(), value);
      if (metrics != null) {
        metrics.scalar(e.getKey(), (float) value, step);
      }
    }
    if (rank == 0) {
      LOG.info("step {} validation {}", step, lastValidation);
    }
  }

  /** Gives every rank rank 0's buffers (BatchNorm statistics follow each rank's own batches). */
  private void syncBuffers(TrainModel model) {
    ParamSet.broadcast(group, 0, new ArrayList<>(model.buffers().values()));
  }

  private void save(CheckpointManager checkpoints, ParamSet params, Optimizer optimizer, Ema ema)
      throws IOException {
    if (!o.checkpoints()) {
      return;
    }
    syncBuffers(model);
    if (rank == 0) {
      Checkpoint c = snapshot(params, optimizer, ema);
      Double monitored = lastValidation.get(o.monitor());
      if (monitored == null && "train_loss".equals(o.monitor())) {
        monitored = lastLoss;
      }
      // Saved at an epoch's end, the position already points at the next epoch; the name keeps
      // the epoch just finished, as Lightning's does.
      int e = (int) (stepInEpoch == 0 && epoch > 0 ? epoch - 1 : epoch);
      if (o.saveTopK() != 0) {
        checkpoints.saveTopK(c, step, e, monitored);
      }
      if (o.saveLast()) {
        checkpoints.saveLast(c, step, e, monitored);
      }
      checkpoints.warnings().forEach(w -> LOG.warn("{}", w));
    }
    group.barrier();
  }

  private Checkpoint snapshot(ParamSet params, Optimizer optimizer, Ema ema) {
    LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
    meta.put("step", step);
    meta.put("epoch", epoch);
    meta.put("step_in_epoch", stepInEpoch);
    meta.put("world_size", o.worldSize());
    meta.put("global_batch_size", o.globalBatchSize());
    meta.put("seed", o.seed());
    meta.put("skipped_steps", skipped);
    meta.put("train_loss", lastLoss);
    meta.put("validation", new TreeMap<>(lastValidation));
    OptimizerState state = optimizer.saveState();
    meta.put("optimizer", state.optimizer());
    meta.put("optimizer_steps", state.steps());
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    List<String> names = params.names();
    Map<String, float[]> weights = params.toHost();
    for (int i = 0; i < names.size(); i++) {
      tensors.put(
          "model/" + names.get(i),
          new Tensor(params.shape(i).getShape(), weights.get(names.get(i))));
    }
    for (Map.Entry<String, float[]> e : state.slots().entrySet()) {
      tensors.put(
          "optim/" + e.getKey(), new Tensor(new long[] {e.getValue().length}, e.getValue()));
    }
    for (Map.Entry<String, NDArray> b : model.buffers().entrySet()) {
      tensors.put(
          "buffer/" + b.getKey(),
          new Tensor(b.getValue().getShape().getShape(), b.getValue().toFloatArray()));
    }
    if (ema != null) {
      Map<String, float[]> w = ema.weights();
      for (int i = 0; i < names.size(); i++) {
        float[] v = w.get(names.get(i));
        if (v != null) {
          tensors.put("ema/" + names.get(i), new Tensor(params.shape(i).getShape(), v));
        }
      }
    }
    return new Checkpoint(meta, tensors);
  }

  private void restore(
      Checkpoint c, ParamSet params, Optimizer optimizer, Ema ema, NDManager manager) {
    Map<String, Object> meta = c.meta();
    step = ((Number) meta.get("step")).longValue();
    epoch = ((Number) meta.get("epoch")).longValue();
    stepInEpoch = ((Number) meta.get("step_in_epoch")).longValue();
    skipped = ((Number) meta.getOrDefault("skipped_steps", 0)).longValue();
    Object gbs = meta.get("global_batch_size");
    if (gbs != null && ((Number) gbs).intValue() != o.globalBatchSize()) {
      throw new IllegalStateException(
          "Cannot resume: the checkpoint was trained with global batch size "
              + gbs
              + ", this run has "
              + o.globalBatchSize()
              + "; the data position would not match");
    }
    Map<String, float[]> model = new LinkedHashMap<>();
    LinkedHashMap<String, float[]> slots = new LinkedHashMap<>();
    LinkedHashMap<String, float[]> emaWeights = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      String k = e.getKey();
      if (k.startsWith("model/")) {
        model.put(k.substring(6), e.getValue().data());
      } else if (k.startsWith("optim/")) {
        slots.put(k.substring(6), e.getValue().data());
      } else if (k.startsWith("ema/")) {
        emaWeights.put(k.substring(4), e.getValue().data());
      }
    }
    params.load(model, "checkpoint");
    LinkedHashMap<String, NDArray> buffers = this.model.buffers();
    for (Map.Entry<String, NDArray> b : buffers.entrySet()) {
      Tensor t = c.tensors().get("buffer/" + b.getKey());
      if (t == null || t.data().length != b.getValue().size()) {
        throw new IllegalStateException(
            "Cannot resume: the checkpoint has no matching buffer/" + b.getKey());
      }
      b.getValue().set(java.nio.FloatBuffer.wrap(t.data()));
    }
    optimizer.loadState(
        new OptimizerState(
            (String) meta.get("optimizer"),
            ((Number) meta.get("optimizer_steps")).longValue(),
            slots),
        manager);
    if (ema != null && !emaWeights.isEmpty()) {
      ema.load(emaWeights, manager);
    }
  }

  /** Spark cancels the other tasks of a failed barrier stage; stop at the next step. */
  private void stopIfCancelled() {
    org.apache.spark.TaskContext ctx = org.apache.spark.TaskContext.get();
    if (ctx != null && ctx.isInterrupted()) {
      throw new IllegalStateException(
          "Cannot train: rank " + rank + "'s task was cancelled at step " + step);
    }
  }

  /** The fault-injection hook of the tests: fails once, in the first attempt only. */
  private void maybeFail() {
    if (step != o.failAtStep() || plan.attempt() != 0 || rank != o.failRank()) {
      return;
    }
    if ("exit".equals(o.failMode())) {
      LOG.error("debug.fail_at_step: rank {} halts its JVM at step {}", rank, step);
      Runtime.getRuntime().halt(137);
    }
    throw new IllegalStateException(
        "debug.fail_at_step: rank " + rank + " fails at step " + step + " as configured");
  }
}
