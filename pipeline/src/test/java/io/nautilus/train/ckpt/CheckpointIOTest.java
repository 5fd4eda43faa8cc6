package io.nautilus.train.ckpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nautilus.io.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointIOTest {
  private static final Storage STORAGE = Storage.local();

  @TempDir java.nio.file.Path tmp;

  private Path file(String name) {
    return STORAGE.qualify(tmp.resolve(name).toString());
  }

  private java.nio.file.Path local(Path p) {
    return java.nio.file.Path.of(p.toUri());
  }

  /** Every kind of float and meta value, and a tensor longer than one 1 MiB I/O chunk. */
  private static Checkpoint everything() {
    LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
    meta.put("step", 1234L);
    meta.put("epoch", 3);
    meta.put("name", "tiny-lm ü");
    meta.put("val_loss", Double.NaN);
    meta.put("grad_norm", Double.POSITIVE_INFINITY);
    meta.put("lr", 1.0e-3);
    meta.put("done", false);
    meta.put("config_hash", null);
    meta.put("rng", Map.of("seed", 42));
    meta.put("seeds", List.of(1, 2, 3));
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    float[] odd = {
      0f,
      -0f,
      Float.MIN_VALUE,
      Float.MAX_VALUE,
      Float.NEGATIVE_INFINITY,
      Float.intBitsToFloat(0x7fc00001)
    };
    tensors.put("model/z.weight", new Tensor(new long[] {2, 3}, odd));
    float[] big = new float[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) Math.sin(i) * 1e3f;
    }
    tensors.put("model/a.weight", new Tensor(new long[] {600, 500}, big));
    tensors.put("optim/step", new Tensor(new long[] {}, new float[] {7f}));
    tensors.put("ema/empty", new Tensor(new long[] {0, 4}, new float[0]));
    return new Checkpoint(meta, tensors);
  }

  private Path written() throws IOException {
    Path p = file("c.ckpt");
    CheckpointIO.write(STORAGE, p, Checkpoints.atStep(5));
    return p;
  }

  private void assertCorrupt(Path p, String reason) {
    assertThatThrownBy(() -> CheckpointIO.read(STORAGE, p))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessage("Cannot load checkpoint " + p + ": " + reason);
  }

  @Test
  void aCheckpointReadsBackBitForBitWithMetaInJsonTypesAndTensorOrder() throws IOException {
    Path p = file("all.ckpt");
    CheckpointIO.write(STORAGE, p, everything());

    Checkpoint back = CheckpointIO.read(STORAGE, p);

    LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
    meta.put("step", 1234L);
    meta.put("epoch", 3L);
    meta.put("name", "tiny-lm ü");
    meta.put("val_loss", Double.NaN);
    meta.put("grad_norm", Double.POSITIVE_INFINITY);
    meta.put("lr", 1.0e-3);
    meta.put("done", false);
    meta.put("config_hash", null);
    meta.put("rng", Map.of("seed", 42L));
    meta.put("seeds", List.of(1L, 2L, 3L));
    Checkpoint expected = new Checkpoint(meta, everything().tensors());
    Checkpoints.assertSame(back, expected);
    assertThat(back.tensors()).isEqualTo(expected.tensors());
    assertThat(back.group(Checkpoint.MODEL).keySet()).containsExactly("z.weight", "a.weight");
    assertThat(back.metaLong("step", -1)).isEqualTo(1234L);
  }

  @Test
  void theFileLayoutIsThePackageDocumentsOne() throws Exception {
    Path p = written();
    byte[] bytes = Files.readAllBytes(local(p));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    assertThat(new String(bytes, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("NAUTCKPT");
    assertThat(b.getInt(8)).isEqualTo(1);
    int headerBytes = b.getInt(12);
    long dataBytes = b.getLong(16);
    assertThat((24 + headerBytes) % 64).isZero();
    assertThat(dataBytes).isEqualTo((6 + 6 + 2) * 4L);
    assertThat(bytes).hasSize(24 + headerBytes + (int) dataBytes + 32);
    JsonNode header = new ObjectMapper().readTree(Arrays.copyOfRange(bytes, 24, 24 + headerBytes));
    assertThat(header.get("meta").toString())
        .isEqualTo("{\"step\":5,\"epoch\":0,\"world_size\":2}");
    assertThat(header.get("tensors").toString())
        .isEqualTo(
            "[{\"name\":\"model/w\",\"dtype\":\"float32\",\"shape\":[2,3],\"offset\":0},"
                + "{\"name\":\"optim/w.momentum\",\"dtype\":\"float32\",\"shape\":[2,3],\"offset\":24},"
                + "{\"name\":\"ema/w\",\"dtype\":\"float32\",\"shape\":[2],\"offset\":48}]");
    int data = 24 + headerBytes;
    assertThat(b.getFloat(data)).isEqualTo(5f);
    assertThat(b.getFloat(data + 4)).isEqualTo(5.125f);
    assertThat(b.getFloat(data + 52)).isEqualTo(-5f);
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
    assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)).isEqualTo(digest);
  }

  @Test
  void writingReplacesTheOldFileAndLeavesNoTemporaryFile() throws IOException {
    Path p = written();
    CheckpointIO.write(STORAGE, p, Checkpoints.atStep(6));

    Checkpoints.assertSame(CheckpointIO.read(STORAGE, p), Checkpoints.atStep(6));
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("c.ckpt");
    }
  }

  @Test
  void aTruncatedFileSaysHowMuchOfItIsThere() throws IOException {
    Path p = written();
    byte[] bytes = Files.readAllBytes(local(p));
    int size = bytes.length;

    for (int cut : new int[] {size - 1, size - 40, 30}) {
      Files.write(local(p), Arrays.copyOf(bytes, cut));
      assertCorrupt(p, "it is truncated: " + cut + " bytes of " + size);
    }
    Files.write(local(p), Arrays.copyOf(bytes, 10));
    assertCorrupt(p, "it is truncated: 10 bytes, less than the 56 of even an empty checkpoint");
    Files.write(local(p), new byte[0]);
    assertCorrupt(p, "it is empty");
  }

  @Test
  void aFlippedByteAnywhereFailsTheChecksum() throws IOException {
    Path p = written();
    byte[] bytes = Files.readAllBytes(local(p));
    int headerBytes = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);

    // In the data, in the header's JSON (which then does not parse), in the stored digest.
    for (int at : new int[] {24 + headerBytes + 5, 24, 30, bytes.length - 1}) {
      byte[] flipped = bytes.clone();
      flipped[at] ^= 0x10;
      Files.write(local(p), flipped);
      assertCorrupt(p, "its SHA-256 checksum does not match its content: the file is corrupt");
    }
  }

  @Test
  void aForeignFileIsNotACheckpoint() throws IOException {
    Path p = file("model.zip");
    Files.write(
        local(p), "PK\3\4 a zip archive, not a checkpoint at all".getBytes(StandardCharsets.UTF_8));
    assertCorrupt(
        p, "it is not a Nautilus checkpoint: it starts with 0x504b03042061207a, not NAUTCKPT");

    Files.write(local(p), new byte[] {'N', 'A', 'X'});
    assertCorrupt(p, "it is not a Nautilus checkpoint: it starts with 0x4e4158, not NAUTCKPT");
  }

  @Test
  void aNewerFormatVersionIsRefusedByName() throws IOException {
    Path p = written();
    byte[] bytes = Files.readAllBytes(local(p));
    bytes[8] = 2;
    Files.write(local(p), bytes);

    assertCorrupt(
        p,
        "its format version is 2, this build reads only version 1; load it with the Nautilus"
            + " version that wrote it");
  }

  @Test
  void anImpossibleHeaderLengthIsCorruptionNotAnAllocation() throws IOException {
    Path p = written();
    byte[] bytes = Files.readAllBytes(local(p));
    Arrays.fill(bytes, 12, 16, (byte) 0xff);
    Files.write(local(p), bytes);

    assertCorrupt(p, "its preamble announces a header of 4294967295 bytes: the file is corrupt");
  }

  @Test
  void bytesAfterTheChecksumAreCorruption() throws IOException {
    Path p = written();
    byte[] bytes = Files.readAllBytes(local(p));
    Files.write(local(p), Arrays.copyOf(bytes, bytes.length + 5));

    assertCorrupt(
        p,
        "it is "
            + (bytes.length + 5)
            + " bytes, its preamble announces "
            + bytes.length
            + ": the file is corrupt");
  }

  @Test
  void aHeaderThatPassesTheChecksumButDoesNotAddUpIsInvalid() throws Exception {
    // What a buggy writer would produce: a sound digest over an inconsistent tensor table.
    byte[] json =
        "{\"meta\":{},\"tensors\":[{\"name\":\"model/w\",\"dtype\":\"float32\",\"shape\":[2],\"offset\":8}]}"
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(24 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(CheckpointIO.preamble(json.length, 8)).put(json).putFloat(1f).putFloat(2f);
    byte[] body = b.array();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
    Path p = file("bad-header.ckpt");
    Files.write(local(p), body);
    Files.write(local(p), digest, java.nio.file.StandardOpenOption.APPEND);

    assertCorrupt(p, "its header is invalid: tensor model/w starts at byte 8, expected 0");
  }

  @Test
  void aMissingFileIsNotFoundRatherThanCorrupt() {
    Path p = file("absent.ckpt");
    assertThatThrownBy(() -> CheckpointIO.read(STORAGE, p))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("Cannot load checkpoint " + p + ": it does not exist");
  }

  @Test
  void metaThatIsNotJsonIsRefusedBeforeAnythingIsWritten() {
    LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
    meta.put("model", new Object());
    Path p = file("never.ckpt");

    assertThatThrownBy(
            () -> CheckpointIO.write(STORAGE, p, new Checkpoint(meta, new LinkedHashMap<>())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot write checkpoint: its meta is not JSON-able: ");
    assertThat(Files.exists(local(p))).isFalse();
  }

  @Test
  void aTensorsShapeMustMatchItsValues() {
    assertThatThrownBy(() -> new Tensor(new long[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot make tensor of shape [2, 3]: it needs 6 values, got 5");
    assertThatThrownBy(() -> new Tensor(new long[] {-1}, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use shape [-1]: dimension -1 is negative");
    assertThat(new Tensor(new long[] {}, new float[] {1f}).data()).containsExactly(1f);
  }
}
