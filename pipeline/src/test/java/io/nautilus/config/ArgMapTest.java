package io.nautilus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgMapTest {
  private static ArgMap args(Map<String, ?> values) {
    return ArgMap.of("read test config", values);
  }

  private static Map<String, Object> withNull(String key) {
    Map<String, Object> values = new HashMap<>();
    values.put(key, null);
    return values;
  }

  @Test
  void nullValueCountsAsAbsentButPresent() {
    ArgMap args = args(withNull("n"));
    assertThat(args.present("n")).isTrue();
    assertThat(args.has("n")).isFalse();
    assertThat(args.present("m")).isFalse();
    assertThat(args.integer("n", 7)).isEqualTo(7);
    assertThat(args.decimal("n", 0.5)).isEqualTo(0.5);
    assertThat(args.bool("n", true)).isTrue();
    assertThat(args.string("n", "x")).isEqualTo("x");
    assertThat(args.wholeNumber("n")).isNull();
  }

  @Test
  void numbersMayComeAsStringsAndWholeDecimals() {
    ArgMap args =
        args(Map.of("lr", "1e-3", "steps", 10.0, "big", "2e12", "count", " 12 ", "long", 1L << 40));
    assertThat(args.decimal("lr", 0)).isEqualTo(1e-3);
    assertThat(args.integer("steps", 0)).isEqualTo(10);
    assertThat(args.integer("count", 0)).isEqualTo(12);
    assertThat(args.wholeNumber("big")).isEqualTo(2_000_000_000_000L);
    assertThat(args.wholeNumber("long")).isEqualTo(1L << 40);
  }

  @Test
  void integerRejectsFractionsAndValuesBeyondInt() {
    ArgMap args = args(Map.of("a", 80.5, "b", 1L << 40, "c", "1.5"));
    assertThatThrownBy(() -> args.integer("a", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read test config: a must be a whole number, got 80.5");
    assertThatThrownBy(() -> args.integer("b", 0))
        .hasMessage("Cannot read test config: b must be a whole number, got 1099511627776");
    assertThatThrownBy(() -> args.wholeNumber("c"))
        .hasMessage("Cannot read test config: c must be a whole number, got '1.5'");
  }

  @Test
  void wholeNumberRejectsDecimalsBeyondExactRange() {
    assertThatThrownBy(() -> args(Map.of("n", 1e16)).wholeNumber("n"))
        .hasMessage("Cannot read test config: n must be a whole number, got 1.0E16");
  }

  @Test
  void wrongTypesNameTheKeyAndQuoteStrings() {
    ArgMap args = args(Map.of("lr", "fast", "flag", "yes", "name", 3, "flag2", 1));
    assertThatThrownBy(() -> args.decimal("lr", 0))
        .hasMessage("Cannot read test config: lr must be a number, got 'fast'");
    assertThatThrownBy(() -> args.bool("flag", false))
        .hasMessage("Cannot read test config: flag must be true or false, got 'yes'");
    assertThatThrownBy(() -> args.bool("flag2", false))
        .hasMessage("Cannot read test config: flag2 must be true or false, got 1");
    assertThatThrownBy(() -> args.string("name", null))
        .hasMessage("Cannot read test config: name must be a string, got 3");
  }

  @Test
  void booleanStringsAreReadInAnyCase() {
    ArgMap args = args(Map.of("a", "TRUE", "b", "False", "c", false));
    assertThat(args.bool("a", false)).isTrue();
    assertThat(args.bool("b", true)).isFalse();
    assertThat(args.bool("c", true)).isFalse();
  }

  @Test
  void sectionPathPrefixesEveryKeyInMessages() {
    ArgMap args = ArgMap.of("read model config", "encoder", Map.of("d_model", "wide", "x", 1));
    assertThat(args.name("d_model")).isEqualTo("encoder.d_model");
    assertThatThrownBy(() -> args.integer("d_model", 0))
        .hasMessage("Cannot read model config: encoder.d_model must be a number, got 'wide'");
    assertThatThrownBy(() -> args.requiredInteger("n_layers"))
        .hasMessage("Cannot read model config: encoder.n_layers is missing");
    assertThatThrownBy(() -> args.rejectUnknown(List.of("d_model", "a")))
        .hasMessage("Cannot read model config: unknown key 'encoder.x'; valid keys: d_model, a");
  }

  @Test
  void firstUnknownIsTheFirstInSortedOrder() {
    ArgMap args = args(Map.of("zeta", 1, "beta", 2, "alpha", 3));
    assertThat(args.firstUnknown(List.of("alpha"))).isEqualTo("beta");
    assertThat(args.firstUnknown(List.of("alpha", "beta", "zeta"))).isNull();
    args.rejectUnknown(List.of("alpha", "beta", "zeta"));
  }

  @Test
  void unexpectedKeyListsOnlyTheAllowedOnesSorted() {
    ArgMap args = ArgMap.of("create optimizer sgd", Map.of("lr", 1, "name", "sgd", "betas", 2));
    assertThatThrownBy(
            () -> args.rejectUnexpected("argument", List.of("momentum", "lr"), List.of("name")))
        .hasMessage("Cannot create optimizer sgd: unknown argument 'betas'; it takes lr, momentum");
    args.rejectUnexpected("argument", List.of("lr", "betas"), List.of("name"));
  }

  @Test
  void listWrapsASingleValueAndRequiresOne() {
    ArgMap args = args(Map.of("kernel", 11, "labels", List.of("a", "b")));
    assertThat(args.list("kernel")).isEqualTo(List.of(11));
    assertThat(args.list("labels")).isEqualTo(List.of("a", "b"));
    assertThatThrownBy(() -> args.list("none"))
        .hasMessage("Cannot read test config: none is missing");
  }

  @Test
  void sectionMustBeAMapWithStringKeys() {
    ArgMap args =
        ArgMap.of(
            "read model config",
            "",
            Map.of("encoder", Map.of("d_model", 4), "decoder", "conv", "bad", Map.of(1, 2)));
    assertThat(args.section("encoder")).isEqualTo(Map.of("d_model", 4));
    assertThatThrownBy(() -> args.section("decoder"))
        .hasMessage("Cannot read model config: decoder must be a section of keys, got 'conv'");
    assertThatThrownBy(() -> args.section("bad"))
        .hasMessage("Cannot read model config: bad has a key that is not a string: 1");
    assertThatThrownBy(() -> args.section("labels"))
        .hasMessage("Cannot read model config: labels is missing");
  }

  @Test
  void errorPrefixesTheAction() {
    assertThat(ArgMap.of("create optimizer adam", Map.of()).error("bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create optimizer adam: bad");
  }
}
