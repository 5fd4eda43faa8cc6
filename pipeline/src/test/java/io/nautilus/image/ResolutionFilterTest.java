package io.nautilus.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.image.ResolutionFilter.Decision;
import io.nautilus.image.ResolutionFilter.Method;
import org.junit.jupiter.api.Test;

class ResolutionFilterTest {

  private final ResolutionFilter larger = ResolutionFilter.of("larger", 100);
  private final ResolutionFilter smaller = ResolutionFilter.of("smaller", 100);

  @Test
  void largerKeepsBothSidesEqualToTheValue() {
    assertThat(larger.test(100, 100))
        .isEqualTo(new Decision(true, "100x100 passes resolution larger 100"));
    assertThat(larger.test(100, 4000).keep()).isTrue();
    assertThat(larger.test(4000, 100).keep()).isTrue();
  }

  @Test
  void largerRejectsASideOnePixelShort() {
    assertThat(larger.test(99, 100))
        .isEqualTo(new Decision(false, "99x100 fails resolution larger 100: width 99 < 100"));
    assertThat(larger.test(100, 99))
        .isEqualTo(new Decision(false, "100x99 fails resolution larger 100: height 99 < 100"));
    assertThat(larger.test(64, 48))
        .isEqualTo(
            new Decision(
                false, "64x48 fails resolution larger 100: width 64 < 100 and height 48 < 100"));
  }

  @Test
  void smallerKeepsBothSidesEqualToTheValue() {
    assertThat(smaller.test(100, 100))
        .isEqualTo(new Decision(true, "100x100 passes resolution smaller 100"));
    assertThat(smaller.test(1, 100).keep()).isTrue();
    assertThat(smaller.test(100, 1).keep()).isTrue();
  }

  @Test
  void smallerRejectsASideOnePixelOver() {
    assertThat(smaller.test(101, 100))
        .isEqualTo(new Decision(false, "101x100 fails resolution smaller 100: width 101 > 100"));
    assertThat(smaller.test(100, 101))
        .isEqualTo(new Decision(false, "100x101 fails resolution smaller 100: height 101 > 100"));
    assertThat(smaller.test(4000, 3000).message())
        .isEqualTo(
            "4000x3000 fails resolution smaller 100: width 4000 > 100 and height 3000 > 100");
  }

  @Test
  void testsAnImageInfoBySize() {
    assertThat(larger.test(new ImageInfo(ImageFormat.JPEG, 120, 90)))
        .isEqualTo(new Decision(false, "120x90 fails resolution larger 100: height 90 < 100"));
  }

  @Test
  void methodNamesAreNemosLowerCaseSpellings() {
    assertThat(larger.method()).isEqualTo(Method.LARGER);
    assertThat(smaller.method()).isEqualTo(Method.SMALLER);
    assertThat(Method.LARGER.configName()).isEqualTo("larger");
    assertThatThrownBy(() -> ResolutionFilter.of("Larger", 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create resolution filter: method \"Larger\" is not larger or smaller");
    assertThatThrownBy(() -> ResolutionFilter.of("bigger", 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create resolution filter: method \"bigger\" is not larger or smaller");
  }

  @Test
  void valueMustBePositive() {
    assertThatThrownBy(() -> ResolutionFilter.of("larger", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create resolution filter: value 0 must be a positive pixel count");
  }
}
