package io.nautilus.train;

import io.nautilus.config.Config;
import io.nautilus.config.ConfigException;
import io.nautilus.config.ConfigSchema;
import io.nautilus.config.ValueType;
import io.nautilus.run.SparkSettings;
import io.nautilus.train.data.DataSplit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every key of the {@code train} job, NeMo-shaped: trainer, exp_manager, model. */
public final class TrainConfig {
  static final List<String> OPTIM_ARGS =
      List.of(
          "lr",
          "betas",
          "eps",
          "weight_decay",
          "momentum",
          "nesterov",
          "dampening",
          "grad_averaging");
  static final List<String> SCHED_ARGS =
      List.of(
          "warmup_steps",
          "warmup_ratio",
          "hold_steps",
          "hold_ratio",
          "constant_steps",
          "constant_ratio",
          "min_lr",
          "d_model",
          "decay_rate",
          "power",
          "cycle",
          "max_steps");

  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .optional("name", ValueType.STRING, "char_lm", "the experiment's name")
          .optional("trainer.devices", ValueType.INT, 1, "training ranks per node")
          .optional(
              "trainer.num_nodes", ValueType.INT, 1, "nodes; world size W = num_nodes x devices")
          .optional(
              "trainer.accelerator",
              ValueType.STRING,
              "auto",
              "auto (the GPU Spark assigned the task, else CPU), gpu or cpu")
          .optional("trainer.max_epochs", ValueType.INT, 1, "epochs, when max_steps <= 0")
          .optional(
              "trainer.max_steps", ValueType.LONG, -1L, "optimizer steps; takes precedence if > 0")
          .optional(
              "trainer.gradient_clip_val",
              ValueType.DOUBLE,
              0.0,
              "clip the global gradient norm (over all ranks) to this; 0 = off")
          .optional("trainer.seed", ValueType.LONG, 1234L, "seed of weights and data order")
          .optional(
              "trainer.val_check_interval",
              ValueType.DOUBLE,
              1.0,
              "validate every N optimizer steps (N > 1) or every fraction of an epoch (<= 1)")
          .optional("trainer.log_every_n_steps", ValueType.INT, 10, "metrics every N steps")
          .optional(
              "trainer.precision",
              ValueType.STRING,
              "32",
              "32 (bf16 and 16 are refused: see the README)")
          .optional(
              "trainer.max_restarts",
              ValueType.INT,
              3,
              "times the driver re-runs a failed training stage, resuming from the last checkpoint")
          .optional(
              "trainer.max_nonfinite_steps",
              ValueType.INT,
              5,
              "fail after this many optimizer steps in a row skipped for NaN/Inf loss or gradients")
          .optional(
              "trainer.bucket_size_mb", ValueType.DOUBLE, 25.0, "gradient all-reduce bucket size")
          .optional(
              "trainer.collective_timeout_s",
              ValueType.INT,
              300,
              "a collective waiting longer on a peer fails, naming the peer")
          .optional(
              "exp_manager.exp_dir",
              ValueType.STRING,
              "nautilus_experiments",
              "root of experiments (local, hdfs://, s3a://)")
          .optional(
              "exp_manager.name", ValueType.STRING, null, "experiment folder name; null = name")
          .optional(
              "exp_manager.version", ValueType.STRING, null, "version folder; null = generated")
          .optional(
              "exp_manager.use_datetime_version",
              ValueType.BOOLEAN,
              true,
              "generated versions are timestamps (else version_N)")
          .optional(
              "exp_manager.resume_if_exists",
              ValueType.BOOLEAN,
              false,
              "continue the latest version from its newest valid checkpoint")
          .optional(
              "exp_manager.resume_ignore_no_checkpoint",
              ValueType.BOOLEAN,
              false,
              "with resume_if_exists: start fresh (with a warning) when there is no checkpoint")
          .optional(
              "exp_manager.resume_past_end",
              ValueType.BOOLEAN,
              false,
              "allow resuming a run that already finished")
          .optional(
              "exp_manager.resume_from_checkpoint",
              ValueType.STRING,
              null,
              "load this checkpoint file (weights, optimizer, position) and continue")
          .optional(
              "exp_manager.create_tensorboard_logger",
              ValueType.BOOLEAN,
              true,
              "write TensorBoard event files")
          .optional(
              "exp_manager.create_checkpoint_callback", ValueType.BOOLEAN, true, "save checkpoints")
          .optional(
              "exp_manager.checkpoint_callback_params.monitor",
              ValueType.STRING,
              "val_loss",
              "metric ranking the top-k checkpoints")
          .optional(
              "exp_manager.checkpoint_callback_params.mode", ValueType.STRING, "min", "min or max")
          .optional(
              "exp_manager.checkpoint_callback_params.save_top_k",
              ValueType.INT,
              3,
              "best checkpoints kept; -1 all, 0 none")
          .optional(
              "exp_manager.checkpoint_callback_params.save_last",
              ValueType.BOOLEAN,
              true,
              "keep a -last checkpoint")
          .optional(
              "exp_manager.checkpoint_callback_params.every_n_epochs",
              ValueType.INT,
              1,
              "checkpoint at the end of every N epochs; 0 = not per epoch")
          .optional(
              "exp_manager.checkpoint_callback_params.every_n_train_steps",
              ValueType.INT,
              null,
              "checkpoint every N optimizer steps; null = off")
          .optional("exp_manager.ema.enable", ValueType.BOOLEAN, false, "keep EMA weights")
          .optional("exp_manager.ema.decay", ValueType.DOUBLE, 0.999, "ema = d*ema + (1-d)*w")
          .optional("exp_manager.ema.every_n_steps", ValueType.INT, 1, "EMA update interval")
          .optional(
              "model.name", ValueType.STRING, "char_lm", "the model: char_lm or asr_ctc (speech)")
          .optional(
              "model.labels",
              ValueType.STRING_LIST,
              List.of(
                  " ", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                  "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "'"),
              "asr_ctc: output characters; the CTC blank comes after them")
          .optional(
              "model.sample_rate",
              ValueType.INT,
              16000,
              "asr_ctc: the audio rate the model hears (other rates are resampled)")
          .optional(
              "model.preprocessor",
              ValueType.MAP,
              Map.of(),
              "asr_ctc: log-mel settings as NeMo's AudioToMelSpectrogramPreprocessor (sample_rate,"
                  + " window_size, window_stride, n_fft, features, normalize, dither, ...)")
          .optional(
              "model.spec_augment",
              ValueType.MAP,
              Map.of(),
              "asr_ctc: freq_masks, freq_width, time_masks, time_width (int = frames, float ="
                  + " fraction); empty = off")
          .optional(
              "model.encoder",
              ValueType.MAP,
              Map.of(),
              "asr_ctc: encoder (type conformer or conv, and its sizes); see conf/asr/")
          .optional(
              "model.decoder", ValueType.MAP, Map.of(), "asr_ctc: NeMo decoder section (checked)")
          .optional("model.context", ValueType.INT, 8, "char_lm: characters of context")
          .optional("model.hidden", ValueType.INT, 128, "char_lm: hidden units")
          .optional("model.max_chars", ValueType.INT, 64, "char_lm: characters per text")
          .optional("model.micro_batch_size", ValueType.INT, 8, "samples per rank per micro-batch")
          .optional(
              "model.global_batch_size",
              ValueType.INT,
              null,
              "samples per optimizer step over all ranks; null = micro_batch_size x W;"
                  + " accumulation = global / (micro x W)")
          .required(
              "model.train_ds.shards",
              ValueType.STRING_LIST,
              "shard folders written by `shard`, shard files or patterns")
          .optional(
              "model.train_ds.shard_strategy",
              ValueType.STRING,
              "scatter",
              "scatter, replicate or stride (every rank reads all, keeps every W-th sample)")
          .optional(
              "model.train_ds.shuffle_n", ValueType.INT, 0, "shuffle buffer in samples; 0 = off")
          .optional(
              "model.validation_ds.shards",
              ValueType.STRING_LIST,
              List.of(),
              "validation shards; empty = no validation")
          .optional("model.validation_ds.batch_size", ValueType.INT, 16, "validation batch size")
          .optional("model.optim.name", ValueType.STRING, "adamw", "sgd, adam, adamw or novograd")
          .optional("model.optim.lr", ValueType.DOUBLE, 1e-3, "base learning rate")
          .optional("model.optim.betas", ValueType.DOUBLE_LIST, null, "adam/adamw/novograd betas")
          .optional("model.optim.eps", ValueType.DOUBLE, null, "denominator epsilon")
          .optional("model.optim.weight_decay", ValueType.DOUBLE, null, "weight decay")
          .optional("model.optim.momentum", ValueType.DOUBLE, null, "sgd momentum")
          .optional("model.optim.nesterov", ValueType.BOOLEAN, null, "sgd Nesterov momentum")
          .optional("model.optim.dampening", ValueType.DOUBLE, null, "sgd dampening")
          .optional("model.optim.grad_averaging", ValueType.BOOLEAN, null, "novograd option")
          .optional(
              "model.optim.sched.name",
              ValueType.STRING,
              null,
              "NeMo schedule, e.g. CosineAnnealing; null = constant lr")
          .optional("model.optim.sched.warmup_steps", ValueType.LONG, null, "warm-up steps")
          .optional("model.optim.sched.warmup_ratio", ValueType.DOUBLE, null, "or a fraction")
          .optional("model.optim.sched.hold_steps", ValueType.LONG, null, "hold steps")
          .optional("model.optim.sched.hold_ratio", ValueType.DOUBLE, null, "or a fraction")
          .optional("model.optim.sched.constant_steps", ValueType.LONG, null, "CosineAnnealing")
          .optional("model.optim.sched.constant_ratio", ValueType.DOUBLE, null, "CosineAnnealing")
          .optional("model.optim.sched.min_lr", ValueType.DOUBLE, null, "floor of the schedule")
          .optional("model.optim.sched.d_model", ValueType.LONG, null, "NoamAnnealing width")
          .optional("model.optim.sched.decay_rate", ValueType.DOUBLE, null, "NoamHoldAnnealing")
          .optional("model.optim.sched.power", ValueType.DOUBLE, null, "PolynomialDecayAnnealing")
          .optional("model.optim.sched.cycle", ValueType.BOOLEAN, null, "PolynomialDecayAnnealing")
          .optional("model.optim.sched.max_steps", ValueType.LONG, null, "overrides max_steps")
          .optional(
              "debug.fail_at_step",
              ValueType.LONG,
              -1L,
              "test hook: fail once at this optimizer step (first attempt only)")
          .optional("debug.fail_rank", ValueType.INT, 0, "test hook: the rank that fails")
          .optional(
              "debug.nonfinite_at_steps",
              ValueType.INT_LIST,
              List.of(),
              "test hook: rank 0's loss is NaN at these step attempts (counted from 0, skips included)")
          .optional(
              "debug.fail_mode",
              ValueType.STRING,
              "exception",
              "test hook: exception (task error) or exit (kills the executor JVM)")
          .include(SparkSettings.SCHEMA)
          .build();

  private TrainConfig() {}

  private static Map<String, Object> present(Config c, String prefix, List<String> keys) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : keys) {
      String key = prefix + k;
      if (!c.isNull(key)) {
        out.put(k, get(c, key));
      }
    }
    return out;
  }

  private static Object get(Config c, String key) {
    return switch (c.schema().key(key).orElseThrow().type()) {
      case DOUBLE_LIST -> c.getDoubleList(key);
      case DOUBLE -> c.getDouble(key);
      case LONG -> c.getLong(key);
      case INT -> c.getInt(key);
      case BOOLEAN -> c.getBoolean(key);
      default -> c.getString(key);
    };
  }

  private static LinkedHashMap<String, Object> asrModel(Config c) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    m.put("labels", new java.util.ArrayList<>(c.getStringList("model.labels")));
    m.put("encoder", new LinkedHashMap<>(c.getMap("model.encoder")));
    if (!c.getMap("model.decoder").isEmpty()) {
      m.put("decoder", new LinkedHashMap<>(c.getMap("model.decoder")));
    }
    return m;
  }

  public static TrainOptions options(Config c) {
    int w = c.getInt("trainer.devices") * c.getInt("trainer.num_nodes");
    if (c.getInt("trainer.devices") < 1 || c.getInt("trainer.num_nodes") < 1) {
      throw new ConfigException(
          "Cannot load config: trainer.devices and trainer.num_nodes must be >= 1");
    }
    int micro = c.getInt("model.micro_batch_size");
    Integer global = c.getInt("model.global_batch_size");
    int g = global == null ? micro * w : global;
    if (micro < 1 || g < 1 || g % (micro * w) != 0) {
      throw new ConfigException(
          "Cannot load config: model.global_batch_size "
              + g
              + " must be a positive multiple of model.micro_batch_size x W = "
              + micro
              + " x "
              + w
              + " (the gradient accumulation steps are their quotient)");
    }
    String precision = c.getString("trainer.precision");
    if (!List.of("32", "32-true").contains(precision)) {
      if (List.of("bf16", "bf16-mixed", "bf16-true", "16", "16-mixed").contains(precision)) {
        throw new ConfigException(
            "Cannot load config: trainer.precision="
                + precision
                + " cannot run on the pinned DJL: its PyTorch JNI (pytorch-jni 2.7.1-0.35.1)"
                + " toType() cuts the autograd graph, so a step cannot cast activations between"
                + " 16 and 32 bits while recording, and it maps no DJL data type to bfloat16"
                + " (creating or casting a bfloat16 tensor aborts the JVM); use 32");
      }
      throw new ConfigException(
          "Cannot load config: trainer.precision must be 32, got '" + precision + "'");
    }
    String accelerator = c.getString("trainer.accelerator");
    if (!List.of("auto", "cpu", "gpu").contains(accelerator)) {
      throw new ConfigException(
          "Cannot load config: trainer.accelerator must be auto, cpu or gpu, got '"
              + accelerator
              + "'");
    }
    String mode = c.getString("exp_manager.checkpoint_callback_params.mode");
    if (!List.of("min", "max").contains(mode)) {
      throw new ConfigException(
          "Cannot load config: exp_manager.checkpoint_callback_params.mode must be min or max,"
              + " got '"
              + mode
              + "'");
    }
    String failMode = c.getString("debug.fail_mode");
    if (!List.of("exception", "exit").contains(failMode)) {
      throw new ConfigException(
          "Cannot load config: debug.fail_mode must be exception or exit, got '" + failMode + "'");
    }
    DataSplit split;
    try {
      split = DataSplit.parse(c.getString("model.train_ds.shard_strategy"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Cannot load config: model.train_ds." + e.getMessage());
    }
    Integer everySteps = c.getInt("exp_manager.checkpoint_callback_params.every_n_train_steps");
    return new TrainOptions(
        c.getString("name"),
        w,
        accelerator,
        c.getInt("trainer.max_epochs"),
        c.getLong("trainer.max_steps"),
        micro,
        g / (micro * w),
        c.getDouble("trainer.gradient_clip_val"),
        c.getLong("trainer.seed"),
        c.getDouble("trainer.val_check_interval"),
        Math.max(1, c.getInt("trainer.log_every_n_steps")),
        precision,
        c.getInt("trainer.max_restarts"),
        c.getInt("trainer.max_nonfinite_steps"),
        (int) Math.round(c.getDouble("trainer.bucket_size_mb") * (1 << 20)),
        c.getInt("trainer.collective_timeout_s"),
        c.getString("exp_manager.exp_dir"),
        c.isNull("exp_manager.name") ? c.getString("name") : c.getString("exp_manager.name"),
        c.getString("exp_manager.version"),
        c.getBoolean("exp_manager.use_datetime_version"),
        c.getBoolean("exp_manager.resume_if_exists"),
        c.getBoolean("exp_manager.resume_ignore_no_checkpoint"),
        c.getBoolean("exp_manager.resume_past_end"),
        c.getString("exp_manager.resume_from_checkpoint"),
        c.getBoolean("exp_manager.create_tensorboard_logger"),
        c.getBoolean("exp_manager.create_checkpoint_callback"),
        c.getString("exp_manager.checkpoint_callback_params.monitor"),
        mode,
        c.getInt("exp_manager.checkpoint_callback_params.save_top_k"),
        c.getBoolean("exp_manager.checkpoint_callback_params.save_last"),
        c.getInt("exp_manager.checkpoint_callback_params.every_n_epochs"),
        everySteps == null ? 0 : everySteps,
        c.getBoolean("exp_manager.ema.enable"),
        c.getDouble("exp_manager.ema.decay"),
        c.getInt("exp_manager.ema.every_n_steps"),
        c.getString("model.name"),
        asrModel(c),
        new LinkedHashMap<>(c.getMap("model.preprocessor")),
        new LinkedHashMap<>(c.getMap("model.spec_augment")),
        c.getInt("model.context"),
        c.getInt("model.hidden"),
        c.getInt("model.max_chars"),
        c.getStringList("model.train_ds.shards"),
        split,
        c.getInt("model.train_ds.shuffle_n"),
        c.getStringList("model.validation_ds.shards"),
        c.getInt("model.validation_ds.batch_size"),
        c.getString("model.optim.name"),
        new LinkedHashMap<>(present(c, "model.optim.", OPTIM_ARGS)),
        c.getString("model.optim.sched.name"),
        new LinkedHashMap<>(present(c, "model.optim.sched.", SCHED_ARGS)),
        c.getLong("debug.fail_at_step"),
        c.getInt("debug.fail_rank"),
        failMode,
        c.getIntList("debug.nonfinite_at_steps"),
        c.toYaml());
  }
}
