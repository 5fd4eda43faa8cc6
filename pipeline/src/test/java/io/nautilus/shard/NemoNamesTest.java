package io.nautilus.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NemoNamesTest {

  @Test
  void slashesAndDotsOfTheBaseBecomeUnderscores() {
    assertThat(NemoNames.memberName("/data/a/b.c.flac")).isEqualTo("_data_a_b_c.flac");
    assertThat(NemoNames.memberName("rel/dir.v2/utt.wav")).isEqualTo("rel_dir_v2_utt.wav");
    assertThat(NemoNames.memberName("x.WAV")).isEqualTo("x.WAV");
  }

  @Test
  void extensionIsFoundLikePythonSplitext() {
    // A leading dot belongs to the stem, as os.path.splitext('/x/.a.wav') == ('/x/.a', '.wav').
    assertThat(NemoNames.memberName("/x/.a.wav")).isEqualTo("_x__a.wav");
    assertThat(NemoNames.memberName("/x/..b.wav")).isEqualTo("_x___b.wav");
  }

  @Test
  void memberNamesSplitIntoTheWholeBaseAsWebDatasetKey() {
    String member = NemoNames.memberName("/data/spk.1/utt.part2.flac");
    SampleMemberName split = SampleMemberName.parse(member).orElseThrow();
    assertThat(split.key()).isEqualTo("_data_spk_1_utt_part2");
    assertThat(split.extension()).isEqualTo("flac");
  }

  @Test
  void pathWithoutExtensionIsRefused() {
    for (String path : new String[] {"/data/a.d/noext", "/data/.hidden"}) {
      assertThatThrownBy(() -> NemoNames.memberName(path))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Cannot name tar member for '"
                  + path
                  + "': the file has no extension, and WebDataset readers skip members without"
                  + " one");
    }
  }

  @Test
  void fileReferencedThreeTimesIsStoredOnceAndLaterReferencesGetSubNames() {
    NemoMemberDeduper names = new NemoMemberDeduper();

    NemoMemberRef first = names.reference("/d/a.b.flac");
    NemoMemberRef other = names.reference("/d/c.flac");
    NemoMemberRef second = names.reference("/d/a.b.flac");
    NemoMemberRef third = names.reference("/d/a.b.flac");

    assertThat(first)
        .isEqualTo(new NemoMemberRef("/d/a.b.flac", "_d_a_b.flac", "_d_a_b.flac", true));
    assertThat(other.store()).isTrue();
    assertThat(second)
        .isEqualTo(new NemoMemberRef("/d/a.b.flac", "_d_a_b.flac", "_d_a_b-sub1.flac", false));
    assertThat(third.manifestName()).isEqualTo("_d_a_b-sub2.flac");
    assertThat(third.store()).isFalse();
    assertThat(names.storedMembers()).isEqualTo(2);
  }

  @Test
  void differentFilesSquashingToOneNameAreRefusedInsteadOfSharingAudio() {
    NemoMemberDeduper names = new NemoMemberDeduper();
    names.reference("/a/b.flac");
    assertThatThrownBy(() -> names.reference("/a_b.flac"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot name tar member for '/a_b.flac': the name '_a_b.flac' is already used for"
                + " '/a/b.flac' in this shard, and NeMo's reader would give both entries the"
                + " same audio; rename one of the files or put them in different shards");
  }

  @Test
  void subNameCollidingWithARealMemberIsRefused() {
    NemoMemberDeduper names = new NemoMemberDeduper();
    names.reference("/x/a.flac");
    names.reference("/x/a.flac");
    assertThatThrownBy(() -> names.reference("/x/a-sub1.flac"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot name tar member for '/x/a-sub1.flac': the name '_x_a-sub1.flac' is already"
                + " used for '/x/a.flac' in this shard");
  }

  @Test
  void eachShardHasItsOwnDeduper() {
    NemoMemberDeduper shard0 = new NemoMemberDeduper();
    NemoMemberDeduper shard1 = new NemoMemberDeduper();
    shard0.reference("/d/a.flac");
    assertThat(shard1.reference("/d/a.flac").store()).isTrue();
  }
}
