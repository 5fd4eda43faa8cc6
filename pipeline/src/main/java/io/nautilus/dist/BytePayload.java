package io.nautilus.dist;

import java.nio.ByteBuffer;

/** A byte array as a payload (all-gather: the items of all ranks laid end to end). */
final class BytePayload implements Payload {
  private final byte[] data;

  BytePayload(byte[] data) {
    this.data = data;
  }

  @Override
  public void read(long offset, ByteBuffer dst, int bytes) {
    dst.put(data, (int) offset, bytes);
  }

  @Override
  public void write(long offset, ByteBuffer src, boolean add) {
    src.get(data, (int) offset, src.remaining());
  }

  @Override
  public void addInto(long offset, ByteBuffer frame, boolean keep) {
    throw new UnsupportedOperationException("Cannot add bytes: only float payloads reduce");
  }
}
