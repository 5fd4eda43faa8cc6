package io.nautilus.asr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.nautilus.asr.features.MelConfig;
import io.nautilus.asr.text.CharTokenizer;
import io.nautilus.config.Config;
import io.nautilus.config.ConfigLoader;
import io.nautilus.train.optim.Optimizers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AsrModelConfigTest {
  /** A shipped config as the train job loads it, the model's sections as plain maps. */
  private static Map<String, Object> shipped(String file) {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Config config =
        ConfigLoader.load(
            io.nautilus.train.TrainConfig.SCHEMA, root.resolve("conf/asr/" + file), List.of());
    io.nautilus.train.TrainOptions o = io.nautilus.train.TrainConfig.options(config);
    Map<String, Object> model = new HashMap<>(o.asrModel());
    model.put("preprocessor", o.preprocessor());
    Map<String, Object> optim = new HashMap<>(o.optimizerArgs());
    optim.put("name", o.optimizer());
    model.put("optim", optim);
    return model;
  }

  private static Map<String, Object> network(Map<String, Object> model) {
    Map<String, Object> out = new HashMap<>();
    for (String key : AsrModelConfig.KEYS) {
      out.put(key, model.get(key));
    }
    return out;
  }

  private static long parameters(AsrModelConfig config) {
    AsrNetwork net = new AsrNetwork(config);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      return TestNets.initialize(net, manager, 1).totalFloats();
    }
  }

  @Test
  void shippedConformerConfigBuildsTheSmallConformer() {
    Map<String, Object> model = shipped("conformer_ctc_small.yaml");
    AsrModelConfig config = AsrModelConfig.fromMap(network(model));
    assertThat(config.labels()).isEqualTo(CharTokenizer.ENGLISH_LABELS);
    assertThat(config.classes()).isEqualTo(29);
    ConformerConfig encoder = (ConformerConfig) config.encoder();
    assertThat(encoder.featIn()).isEqualTo(80);
    assertThat(encoder.dModel()).isEqualTo(144);
    assertThat(encoder.nLayers()).isEqualTo(4);
    assertThat(encoder.convChannels()).isEqualTo(64);
    assertThat(encoder.outputLength(801)).isEqualTo(201);
    assertThat(MelConfig.fromMap(asMap(model.get("preprocessor"))).features()).isEqualTo(80);
    Map<String, Object> optim = asMap(model.get("optim"));
    Optimizers.create((String) optim.get("name"), optim).close();
    // Subsampling: 64x9 + 64 | 64x64x9 + 64 | 64x20x144 + 144 = 222032. Per layer: 5 LayerNorms
    // 1440, two feed-forwards 333216, attention 4 x (144x144 + 144) = 83520, convolution module
    // 144x288 + 288 | 144x15 + 144 | 288 | 144x144 + 144 = 65232. Head: 144x29 + 29.
    assertThat(parameters(config)).isEqualTo(222_032L + 4 * 483_408L + 4_205L);
  }

  @Test
  void shippedConvConfigBuildsTheSmallConvModel() {
    Map<String, Object> model = shipped("conv_ctc_small.yaml");
    AsrModelConfig config = AsrModelConfig.fromMap(network(model));
    ConvEncoderConfig encoder = (ConvEncoderConfig) config.encoder();
    assertThat(encoder.featIn()).isEqualTo(64);
    assertThat(encoder.blocks()).hasSize(5);
    assertThat(encoder.outputSize()).isEqualTo(256);
    assertThat(encoder.outputLength(801)).isEqualTo(401);
    assertThat(MelConfig.fromMap(asMap(model.get("preprocessor"))).features()).isEqualTo(64);
    Map<String, Object> optim = asMap(model.get("optim"));
    Optimizers.create((String) optim.get("name"), optim).close();
    // Blocks (depthwise k x C_in, pointwise C_out x C_in, BatchNorm 2 x C_out, residual 1x1 + BN):
    // 10560 | 79232 | 144384 | 57536 | 66048; head 256x29 + 29.
    assertThat(parameters(config))
        .isEqualTo(10_560L + 79_232L + 144_384L + 57_536L + 66_048L + 7_453L);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }

  private static Map<String, Object> model(Map<String, Object> encoder) {
    Map<String, Object> model = new HashMap<>();
    model.put("labels", List.of("a", "b", "c"));
    model.put("encoder", encoder);
    return model;
  }

  @Test
  void unknownKeysAreRejectedWithTheValidOnes() {
    Map<String, Object> model = model(TestNets.conformer("batch_norm"));
    model.put("preprocessor", Map.of());
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read model config: unknown key 'preprocessor'; valid keys: decoder, encoder,"
                + " labels");

    Map<String, Object> encoder = TestNets.conformer("batch_norm");
    encoder.put("n_layer", 3);
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(encoder)))
        .hasMessage(
            "Cannot read model config: unknown key 'encoder.n_layer'; valid keys: "
                + String.join(", ", ConformerConfig.KEYS));

    Map<String, Object> conv = new HashMap<>(TestNets.conv());
    conv.put("jasper", List.of(Map.of("filters", 8, "kernel", List.of(3), "se", true)));
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(conv)))
        .hasMessage(
            "Cannot read model config: unknown key 'encoder.jasper[0].se'; valid keys: dilation,"
                + " dropout, filters, kernel, repeat, residual, separable, stride");
  }

  @Test
  void badValuesNameTheirKey() {
    Map<String, Object> encoder = TestNets.conformer("batch_norm");
    encoder.put("n_heads", 5);
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(encoder)))
        .hasMessage(
            "Cannot read model config: encoder.n_heads must be >= 1 and divide d_model 32, got 5");

    encoder.put("n_heads", 4);
    encoder.put("self_attention_model", "rel_pos");
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(encoder)))
        .hasMessage(
            "Cannot read model config: encoder.self_attention_model must be abs_pos (absolute"
                + " sinusoidal positions), got 'rel_pos'; relative positions (NeMo's rel_pos) are"
                + " not implemented");

    Map<String, Object> conv = new HashMap<>(TestNets.conv());
    conv.put(
        "jasper",
        List.of(Map.of("filters", 8, "kernel", List.of(3), "stride", 2, "residual", true)));
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(conv)))
        .hasMessage(
            "Cannot read model config: encoder.jasper[0].residual needs stride 1, got stride 2");

    conv.put("jasper", List.of(Map.of("filters", 8, "kernel", List.of(4))));
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(conv)))
        .hasMessage(
            "Cannot read model config: encoder.jasper[0].kernel must be odd and >= 1, got 4");

    Map<String, Object> untyped = TestNets.conformer("batch_norm");
    untyped.remove("type");
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(untyped)))
        .hasMessage(
            "Cannot read model config: encoder.type is missing; set it to conformer or conv");

    untyped.put("_target_", "nemo.collections.asr.modules.ConvASREncoder");
    untyped.put("type", "conformer");
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model(untyped)))
        .hasMessage(
            "Cannot read model config: encoder.type 'conformer' disagrees with encoder._target_"
                + " 'nemo.collections.asr.modules.ConvASREncoder'");
  }

  @Test
  void decoderMustAgreeWithLabelsAndEncoder() {
    Map<String, Object> model = model(TestNets.conformer("batch_norm"));
    model.put("decoder", Map.of("feat_in", 32, "num_classes", 4));
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model))
        .hasMessage("Cannot read model config: decoder.num_classes is 4 but labels has 3 entries");

    model.put("decoder", Map.of("feat_in", 64, "num_classes", 3));
    assertThatThrownBy(() -> AsrModelConfig.fromMap(model))
        .hasMessage("Cannot read model config: decoder.feat_in is 64 but the encoder emits 32");

    model.put(
        "decoder", Map.of("feat_in", 32, "num_classes", 3, "vocabulary", List.of("a", "b", "c")));
    assertThat(AsrModelConfig.fromMap(model).classes()).isEqualTo(4);
  }
}
