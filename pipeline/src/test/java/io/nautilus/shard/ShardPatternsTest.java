package io.nautilus.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardPatternsTest {

  @Test
  void nemoOpenCloseSpellingExpandsLikeBraces() {
    assertThat(ShardPatterns.expand("/data/audio__OP_0..3_CL_.tar"))
        .containsExactly(
            "/data/audio_0.tar", "/data/audio_1.tar", "/data/audio_2.tar", "/data/audio_3.tar");
  }

  @Test
  void zeroPaddedRangeKeepsItsWidth() {
    List<String> urls = ShardPatterns.expand("s3://b/name-{000000..000009}.tar");
    assertThat(urls).hasSize(10);
    assertThat(urls.get(0)).isEqualTo("s3://b/name-000000.tar");
    assertThat(urls.get(9)).isEqualTo("s3://b/name-000009.tar");
  }

  @Test
  void paddingFollowsEitherBoundLikeBraceexpand() {
    assertThat(ShardPatterns.expand("{8..010}")).containsExactly("008", "009", "010");
    assertThat(ShardPatterns.expand("{0..2}")).containsExactly("0", "1", "2");
    assertThat(ShardPatterns.expand("{9..11}")).containsExactly("9", "10", "11");
  }

  @Test
  void alternativesNestedGroupsAndSeveralGroupsExpandLeftToRight() {
    assertThat(ShardPatterns.expand("{train,dev}-{0..1}.tar"))
        .containsExactly("train-0.tar", "train-1.tar", "dev-0.tar", "dev-1.tar");
    assertThat(ShardPatterns.expand("x{a,{b,c}0,}y")).containsExactly("xay", "xb0y", "xc0y", "xy");
    assertThat(ShardPatterns.expand("{a,b{1..2}}")).containsExactly("a", "b1", "b2");
  }

  @Test
  void patternsJoinedByDoubleColonOrGivenAsAListAreConcatenated() {
    List<String> expected = List.of("s3://x/a-0.tar", "s3://x/a-1.tar", "/local/b.tar");
    assertThat(ShardPatterns.expand("s3://x/a-{0..1}.tar::/local/b.tar")).isEqualTo(expected);
    assertThat(ShardPatterns.expand(List.of("s3://x/a-{0..1}.tar", "/local/b.tar")))
        .isEqualTo(expected);
  }

  @Test
  void reversedRangeIsRefused() {
    assertThatThrownBy(() -> ShardPatterns.expand("a-{9..3}.tar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot expand shard pattern 'a-{9..3}.tar': the range {9..3} is reversed;"
                + " write {3..9}");
  }

  @Test
  void unbalancedBracesAreRefused() {
    assertThatThrownBy(() -> ShardPatterns.expand("a-{0..3.tar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot expand shard pattern 'a-{0..3.tar': a '{' has no matching '}'");
    assertThatThrownBy(() -> ShardPatterns.expand("audio_0..3_CL_.tar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot expand shard pattern 'audio_0..3_CL_.tar': a '}' has no matching '{'");
  }

  @Test
  void groupThatIsNeitherRangeNorListIsRefused() {
    assertThatThrownBy(() -> ShardPatterns.expand("a-{x..y}.tar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot expand shard pattern 'a-{x..y}.tar': the group '{x..y}' is neither a range"
                + " like {0..9} nor a list like {a,b}");
  }

  @Test
  void emptyPatternInAListIsRefused() {
    assertThatThrownBy(() -> ShardPatterns.expand("a.tar::"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot expand shard patterns 'a.tar::': one of them is empty");
  }

  @Test
  void runawayExpansionIsRefused() {
    assertThatThrownBy(() -> ShardPatterns.expand("{0..99999}-{0..999}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot expand shard pattern '{0..99999}-{0..999}': it expands to more than 10000000"
                + " names");
  }

  @Test
  void patternWithoutBracesIsItself() {
    assertThat(ShardPatterns.expand("/data/one.tar")).containsExactly("/data/one.tar");
  }
}
