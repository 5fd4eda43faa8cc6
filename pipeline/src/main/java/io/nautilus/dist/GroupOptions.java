package io.nautilus.dist;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ProcessGroup} connects and how long it waits. Build with {@code
 * GroupOptions.builder().optSessionId(..).optOpTimeout(..).build()}.
 */
public final class GroupOptions {
  /** How long {@link ProcessGroup#connect} keeps retrying while peers start. */
  public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(120);

  /** How long an operation may go without any byte moving before it fails. */
  public static final Duration OP_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

  /** The largest frame on the wire; larger tensors stream as a pipeline of segments. */
  public static final int SEGMENT_BYTES_DEFAULT = 1 << 20;

  static final int SEGMENT_BYTES_MIN = 4096;
  static final int SEGMENT_BYTES_MAX = 64 << 20;

  private final String sessionId;
  private final Duration connectTimeout;
  private final Duration opTimeout;
  private final int segmentBytes;

  private GroupOptions(Builder builder) {
    this.sessionId = builder.sessionId;
    this.connectTimeout = builder.connectTimeout;
    this.opTimeout = builder.opTimeout;
    this.segmentBytes = builder.segmentBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Default options; the session id is derived from the address list at connect time. */
  public static GroupOptions defaults() {
    return builder().build();
  }

  /** The session id, or null when it is to be derived from the address list. */
  public String sessionId() {
    return sessionId;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration opTimeout() {
    return opTimeout;
  }

  public int segmentBytes() {
    return segmentBytes;
  }

  /**
   * The session id ranks check at the handshake: the one given, else a digest of the address list
   * (which every rank of one rendezvous shares, and a rank of another run with fresh ports does
   * not).
   */
  String sessionIdFor(List<String> hostPorts) {
    if (sessionId != null) {
      return sessionId;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(String.join(",", hostPorts).getBytes(StandardCharsets.UTF_8));
      return "hosts-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot derive a session id: SHA-256 is unavailable", e);
    }
  }

  /** Builder for {@link GroupOptions}; every setting is optional. */
  public static final class Builder {
    private String sessionId;
    private Duration connectTimeout = CONNECT_TIMEOUT_DEFAULT;
    private Duration opTimeout = OP_TIMEOUT_DEFAULT;
    private int segmentBytes = SEGMENT_BYTES_DEFAULT;

    private Builder() {}

    /**
     * An id every rank of one run shares and no other run uses (for example the Spark application
     * id, stage id and attempt); a peer with another id is refused at the handshake.
     */
    public Builder optSessionId(String sessionId) {
      Objects.requireNonNull(sessionId, "sessionId is null");
      if (sessionId.isEmpty() || sessionId.length() > 1000) {
        throw new IllegalArgumentException(
            "Cannot set the session id to '"
                + sessionId
                + "': it must be 1 to 1000 characters long");
      }
      this.sessionId = sessionId;
      return this;
    }

    public Builder optConnectTimeout(Duration timeout) {
      this.connectTimeout = positive("connect timeout", timeout);
      return this;
    }

    public Builder optOpTimeout(Duration timeout) {
      this.opTimeout = positive("operation timeout", timeout);
      return this;
    }

    /** The frame size, a multiple of 4 in 4 KiB..64 MiB; all ranks must use the same. */
    public Builder optSegmentBytes(int bytes) {
      if (bytes < SEGMENT_BYTES_MIN || bytes > SEGMENT_BYTES_MAX || bytes % 4 != 0) {
        throw new IllegalArgumentException(
            "Cannot set the segment size to "
                + bytes
                + " bytes: it must be a multiple of 4 in "
                + SEGMENT_BYTES_MIN
                + ".."
                + SEGMENT_BYTES_MAX);
      }
      this.segmentBytes = bytes;
      return this;
    }

    public GroupOptions build() {
      return new GroupOptions(this);
    }

    private static Duration positive(String what, Duration timeout) {
      Objects.requireNonNull(timeout, what + " is null");
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Cannot set the "
                + what
                + " to "
                + timeout
                + ": it must be positive and under 24 days");
      }
      return timeout;
    }
  }
}
