package io.nautilus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.config.RawValue.Scalar;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypedValuesTest {

  private static Object convert(String text, ValueType type) throws TypedValues.Mismatch {
    return TypedValues.convert(new Scalar(text, true), type);
  }

  @Test
  void integersAcceptSignsIntegralFloatsAndSurroundingSpace() throws Exception {
    assertThat(convert("+42", ValueType.INT)).isEqualTo(42);
    assertThat(convert("-0", ValueType.INT)).isEqualTo(0);
    assertThat(convert("1e3", ValueType.INT)).isEqualTo(1000);
    assertThat(convert("2.50e1", ValueType.INT)).isEqualTo(25);
    assertThat(convert("0.0", ValueType.INT)).isEqualTo(0);
    assertThat(convert(" 7 ", ValueType.LONG)).isEqualTo(7L);
    assertThat(convert("9223372036854775807", ValueType.LONG)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void integersRejectFractionsHexAndWords() {
    for (String text : List.of("0.5", "1e-3", "0x10", "1_000", "1 000", "ten", ".inf")) {
      assertThatThrownBy(() -> convert(text, ValueType.INT))
          .as(text)
          .isInstanceOf(TypedValues.Mismatch.class);
    }
  }

  @Test
  void doublesAcceptYamlForms() throws Exception {
    assertThat(convert("1e3", ValueType.DOUBLE)).isEqualTo(1000.0);
    assertThat(convert(".5", ValueType.DOUBLE)).isEqualTo(0.5);
    assertThat(convert("5.", ValueType.DOUBLE)).isEqualTo(5.0);
    assertThat(convert("-.inf", ValueType.DOUBLE)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat((Double) convert(".NaN", ValueType.DOUBLE)).isNaN();
    assertThat(convert("7", ValueType.DOUBLE)).isEqualTo(7.0);
  }

  @Test
  void booleansAreTrueOrFalseInAnyCase() throws Exception {
    assertThat(convert("TRUE", ValueType.BOOLEAN)).isEqualTo(true);
    assertThat(convert("False", ValueType.BOOLEAN)).isEqualTo(false);
    assertThatThrownBy(() -> convert("1", ValueType.BOOLEAN))
        .isInstanceOf(TypedValues.Mismatch.class)
        .hasMessage("a boolean (true or false)");
  }

  @Test
  void implicitTypingFollowsTheYaml12CoreSchema() {
    assertThat(TypedValues.implicitScalar(new Scalar("12", true))).isEqualTo(12L);
    assertThat(TypedValues.implicitScalar(new Scalar("1e3", true))).isEqualTo(1000.0);
    assertThat(TypedValues.implicitScalar(new Scalar("True", true))).isEqualTo(true);
    assertThat(TypedValues.implicitScalar(new Scalar("~", true))).isNull();
    assertThat(TypedValues.implicitScalar(new Scalar("yes", true))).isEqualTo("yes");
    assertThat(TypedValues.implicitScalar(new Scalar("12", false))).isEqualTo("12");
    assertThat(TypedValues.implicitScalar(new Scalar("99999999999999999999", true)))
        .isEqualTo("99999999999999999999");
  }

  @Test
  void doublesAreFormattedForYaml11Readers() {
    assertThat(TypedValues.formatDouble(1e10)).isEqualTo("1.0e+10");
    assertThat(TypedValues.formatDouble(1e-4)).isEqualTo("1.0e-4");
    assertThat(TypedValues.formatDouble(0.1)).isEqualTo("0.1");
    assertThat(TypedValues.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo(".inf");
    assertThat(TypedValues.formatDouble(Double.NaN)).isEqualTo(".nan");
  }

  @Test
  void emitterQuotesOnlyStringsThatWouldReadAsSomethingElse() {
    assertThat(YamlEmitter.scalar("asr_ctc")).isEqualTo("asr_ctc");
    assertThat(YamlEmitter.scalar("/data/x.json")).isEqualTo("/data/x.json");
    assertThat(YamlEmitter.scalar("512m")).isEqualTo("512m");
    assertThat(YamlEmitter.scalar("0x1F")).isEqualTo("\"0x1F\"");
    assertThat(YamlEmitter.scalar("On")).isEqualTo("\"On\"");
    assertThat(YamlEmitter.scalar("12")).isEqualTo("\"12\"");
    assertThat(YamlEmitter.scalar("2024-01-01")).isEqualTo("\"2024-01-01\"");
    assertThat(YamlEmitter.scalar("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
    assertThat(YamlEmitter.scalar("${x}")).isEqualTo("\"\\\\${x}\"");
  }
}
