package io.nautilus.train.ckpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON header of a checkpoint file: meta and the tensor table. See {@code package-info}. */
record CheckpointHeader(LinkedHashMap<String, Object> meta, List<Entry> entries) {
  static final String DTYPE = "float32";
  // Java arrays stop a little short of Integer.MAX_VALUE.
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  // NaN and infinities are legitimate metric values (a diverged loss), so they are written bare,
  // as Python's json module does, and read back as doubles; integers read back as Long always.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .build();

  /** One tensor: its bytes start at {@code offset} within the data section. */
  record Entry(String name, long[] shape, long offset) {
    long elements() {
      return Tensor.elements(shape);
    }

    long bytes() {
      return elements() * Float.BYTES;
    }
  }

  static CheckpointHeader of(Checkpoint c) {
    List<Entry> entries = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
      Entry entry = new Entry(e.getKey(), e.getValue().shape(), offset);
      entries.add(entry);
      offset += entry.bytes();
    }
    return new CheckpointHeader(c.meta(), entries);
  }

  long dataBytes() {
    long n = 0;
    for (Entry e : entries) {
      n += e.bytes();
    }
    return n;
  }

  /**
   * UTF-8 JSON, padded with spaces so that the data section after a {@code preamble}-byte preamble
   * starts on a multiple of {@code align}.
   *
   * @throws IllegalArgumentException when a meta value cannot be written as JSON
   */
  byte[] toBytes(int preamble, int align) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "nautilus-checkpoint");
    try {
      root.set("meta", JSON.valueToTree(meta));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot write checkpoint: its meta is not JSON-able: " + e.getMessage(), e);
    }
    ArrayNode tensors = root.putArray("tensors");
    for (Entry e : entries) {
      ObjectNode t = tensors.addObject();
      t.put("name", e.name);
      t.put("dtype", DTYPE);
      ArrayNode shape = t.putArray("shape");
      for (long d : e.shape) {
        shape.add(d);
      }
      t.put("offset", e.offset);
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot write checkpoint: its meta is not JSON-able: " + e.getOriginalMessage(), e);
    }
    int pad = (int) ((align - (preamble + (long) json.length) % align) % align);
    byte[] padded = Arrays.copyOf(json, json.length + pad);
    Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  /**
   * Parses and checks a header read from a file whose data section is {@code dataBytes} long.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static CheckpointHeader parse(byte[] bytes, long dataBytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("it is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("it is not a JSON object");
    }
    JsonNode meta = root.get("meta");
    JsonNode tensors = root.get("tensors");
    if (meta == null || !meta.isObject()) {
      throw new IllegalArgumentException("it has no meta object");
    }
    if (tensors == null || !tensors.isArray()) {
      throw new IllegalArgumentException("it has no tensors array");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long offset = 0;
    for (JsonNode t : tensors) {
      Entry e = entry(t, entries.size());
      if (!names.add(e.name)) {
        throw new IllegalArgumentException("tensor " + e.name + " appears twice");
      }
      if (e.offset != offset) {
        throw new IllegalArgumentException(
            "tensor " + e.name + " starts at byte " + e.offset + ", expected " + offset);
      }
      offset += e.bytes();
      entries.add(e);
    }
    if (offset != dataBytes) {
      throw new IllegalArgumentException(
          "its tensors take " + offset + " bytes, the data section is " + dataBytes);
    }
    @SuppressWarnings("unchecked")
    LinkedHashMap<String, Object> metaMap = JSON.convertValue(meta, LinkedHashMap.class);
    return new CheckpointHeader(metaMap, entries);
  }

  private static Entry entry(JsonNode t, int index) {
    JsonNode name = t.get("name");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw new IllegalArgumentException("tensor #" + index + " has no name");
    }
    String n = name.asText();
    JsonNode dtype = t.get("dtype");
    if (dtype == null || !DTYPE.equals(dtype.asText())) {
      throw new IllegalArgumentException(
          "tensor " + n + " has dtype " + dtype + ", only " + DTYPE + " is supported");
    }
    JsonNode shapeNode = t.get("shape");
    JsonNode offset = t.get("offset");
    if (shapeNode == null
        || !shapeNode.isArray()
        || offset == null
        || !offset.isIntegralNumber()
        || !offset.canConvertToLong()) {
      throw new IllegalArgumentException("tensor " + n + " has no shape or offset");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw new IllegalArgumentException("tensor " + n + " has a bad shape " + shapeNode);
      }
      shape[i] = d.asLong();
    }
    long elements;
    try {
      elements = Tensor.elements(shape);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tensor " + n + " has a bad shape " + shapeNode, e);
    }
    if (elements > MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          "tensor " + n + " has " + elements + " values, more than one Java array holds");
    }
    return new Entry(n, shape, offset.asLong());
  }
}
