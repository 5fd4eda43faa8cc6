package io.nautilus.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's stdlib {@code tarfile}, the reader under WebDataset and NeMo, against our bytes. */
class PythonTarfileCompatTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Prints one JSON object per member, with the raw header facts tarfile hides. */
  private static final String INSPECT =
      String.join(
          "\n",
          "import json, sys, tarfile",
          "raw = open(sys.argv[1], 'rb').read()",
          "out = []",
          "with tarfile.open(sys.argv[1], mode='r:') as tf:",
          "    for ti in tf:",
          "        hdr = raw[ti.offset:ti.offset + 512]",
          "        out.append({'name': ti.name, 'size': ti.size,",
          "                    'regular': ti.type == tarfile.REGTYPE,",
          "                    'pax': ti.pax_headers, 'offset': ti.offset,",
          "                    'data_offset': ti.offset_data, 'mode': ti.mode,",
          "                    'uid': ti.uid, 'gid': ti.gid, 'uname': ti.uname, 'mtime': ti.mtime,",
          "                    'magic': hdr[257:265].decode('latin-1'),",
          "                    'data': tf.extractfile(ti).read().decode('latin-1')})",
          "print(json.dumps(out))");

  /** Writes a PAX-format archive the way Python's own writers (WebDataset's) do. */
  private static final String WRITE_PAX =
      String.join(
          "\n",
          "import io, sys, tarfile",
          "with tarfile.open(sys.argv[1], mode='w', format=tarfile.PAX_FORMAT) as tf:",
          "    for name, data in [('d/' + 'k' * 120 + '.txt', b'long'),",
          "                       ('caf\\u00e9.TXT', b'cafe'), ('caf\\u00e9.wav', b'RIFF')]:",
          "        ti = tarfile.TarInfo(name)",
          "        ti.size = len(data)",
          "        ti.mtime = 1700000000.5",
          "        tf.addfile(ti, io.BytesIO(data))");

  @BeforeAll
  static void needsPython() {
    assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is not installed");
  }

  @Test
  void tarfileSeesPlainUstarRegularFilesWithAdjacentSampleMembers(@TempDir Path dir)
      throws Exception {
    Path shard = dir.resolve("shard-000000.tar");
    try (OutputStream file = Files.newOutputStream(shard);
        UstarWriter writer = new UstarWriter(file)) {
      for (int i = 0; i < 3; i++) {
        TreeMap<String, byte[]> members = new TreeMap<>();
        members.put("txt", ("text " + i).getBytes(UTF_8));
        members.put("flac", ("audio-" + i + "x".repeat(600 * i)).getBytes(UTF_8));
        members.put("json", "{}".getBytes(UTF_8));
        writer.putSample("spk/utt" + i, members);
      }
    }

    JsonNode members = python(INSPECT, shard);

    assertThat(members).hasSize(9);
    List<String> names = new ArrayList<>();
    long expectedOffset = 0;
    for (JsonNode m : members) {
      names.add(m.get("name").asText());
      assertThat(m.get("regular").asBoolean()).as(m.toString()).isTrue();
      assertThat(m.get("pax").size()).as("pax headers of %s", m).isZero();
      assertThat(m.get("magic").asText()).isEqualTo("ustar\u000000");
      assertThat(m.get("mode").asInt()).isEqualTo(0644);
      assertThat(m.get("uid").asInt()).isZero();
      assertThat(m.get("gid").asInt()).isZero();
      assertThat(m.get("uname").asText()).isEmpty();
      assertThat(m.get("mtime").asLong()).isZero();
      // Each member's own header directly follows the previous member: no hidden extension
      // header blocks in between.
      assertThat(m.get("offset").asLong()).isEqualTo(expectedOffset);
      assertThat(m.get("data_offset").asLong()).isEqualTo(expectedOffset + 512);
      long size = m.get("size").asLong();
      assertThat(size).isEqualTo(m.get("data").asText().length());
      expectedOffset += 512 + (size + 511) / 512 * 512;
    }
    assertThat(names)
        .containsExactly(
            "spk/utt0.flac",
            "spk/utt0.json",
            "spk/utt0.txt",
            "spk/utt1.flac",
            "spk/utt1.json",
            "spk/utt1.txt",
            "spk/utt2.flac",
            "spk/utt2.json",
            "spk/utt2.txt");
    assertThat(members.get(5).get("data").asText()).isEqualTo("text 1");
    assertThat(keysAreContiguous(names)).isTrue();
    assertThat(Files.size(shard)).isEqualTo(expectedOffset + 1024);
  }

  @Test
  void ourReaderReadsPythonPaxArchivesWithLongAndNonAsciiNames(@TempDir Path dir) throws Exception {
    Path shard = dir.resolve("python.tar");
    run(WRITE_PAX, shard);

    List<Sample> samples = new ArrayList<>();
    try (TarSampleReader reader = new TarSampleReader(Files.newInputStream(shard), "py.tar")) {
      reader.forEach(samples::add);
    }

    assertThat(samples)
        .extracting(Sample::key)
        .containsExactly("d/" + "k".repeat(120), "caf\u00e9");
    assertThat(samples.get(0).members()).containsOnlyKeys("txt");
    assertThat(new String(samples.get(0).member("txt"), UTF_8)).isEqualTo("long");
    assertThat(samples.get(1).members()).containsOnlyKeys("txt", "wav");
    assertThat(new String(samples.get(1).member("wav"), UTF_8)).isEqualTo("RIFF");
  }

  private static boolean keysAreContiguous(List<String> names) {
    Set<String> finished = new LinkedHashSet<>();
    String current = null;
    for (String name : names) {
      String key = SampleMemberName.parse(name).orElseThrow().key();
      if (!key.equals(current)) {
        if (!finished.add(key)) {
          return false;
        }
        current = key;
      }
    }
    return true;
  }

  private static JsonNode python(String script, Path shard) throws Exception {
    return new ObjectMapper().readTree(run(script, shard));
  }

  private static String run(String script, Path shard) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(PYTHON.toString(), "-c", script, shard.toString())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = new String(output, UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    return text;
  }
}
