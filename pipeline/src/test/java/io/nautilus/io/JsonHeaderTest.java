package io.nautilus.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonHeaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode header(String format, int version) {
    ObjectNode root = JSON.createObjectNode();
    JsonHeader.put(root, format, version);
    return root;
  }

  @Test
  void headerThatWasPutPassesTheCheck() throws Exception {
    ObjectNode root = header("nautilus-test", 3);
    JsonHeader.check(JSON.readTree(JSON.writeValueAsString(root)), "nautilus-test", 3, "");
  }

  @Test
  void otherFormatIsRejected() {
    assertThatThrownBy(() -> JsonHeader.check(header("nautilus-x", 1), "nautilus-test", 1, "P: "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("P: format is not 'nautilus-test'");
    assertThatThrownBy(() -> JsonHeader.check(null, "nautilus-test", 1, ""))
        .hasMessage("format is not 'nautilus-test'");
  }

  @Test
  void otherVersionIsRejectedEvenWhenOlder() {
    assertThatThrownBy(() -> JsonHeader.check(header("nautilus-test", 2), "nautilus-test", 1, ""))
        .hasMessage("unsupported version 2 (this build reads version 1); use a newer Nautilus");
    assertThatThrownBy(() -> JsonHeader.check(header("nautilus-test", 1), "nautilus-test", 2, ""))
        .hasMessage("unsupported version 1 (this build reads version 2); use a newer Nautilus");
  }

  @Test
  void missingVersionIsRejected() {
    ObjectNode root = JSON.createObjectNode().put("format", "nautilus-test");
    assertThatThrownBy(() -> JsonHeader.check(root, "nautilus-test", 1, ""))
        .hasMessage("unsupported version  (this build reads version 1); use a newer Nautilus");
  }
}
