package io.nautilus.shard;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * WebDataset's streaming shuffle: keeps up to {@code capacity} items and emits a random one each
 * time a new item arrives, then drains the rest in random order. The order is a pure function of
 * the source order, the capacity and the random generator's seed.
 */
public final class ShuffleBuffer<T> implements Iterator<T> {
  private final Iterator<T> source;
  private final int capacity;
  private final SplittableRandom random;
  private final List<T> buffer;

  public ShuffleBuffer(Iterator<T> source, int capacity, SplittableRandom random) {
    this.source = Objects.requireNonNull(source, "source is null");
    this.random = Objects.requireNonNull(random, "random is null");
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "Cannot create shuffle buffer: capacity " + capacity + " < 1");
    }
    this.capacity = capacity;
    this.buffer = new ArrayList<>(Math.min(capacity, 1 << 16));
  }

  @Override
  public boolean hasNext() {
    fill();
    return !buffer.isEmpty();
  }

  @Override
  public T next() {
    fill();
    if (buffer.isEmpty()) {
      throw new NoSuchElementException("Shuffle buffer is drained");
    }
    int pick = random.nextInt(buffer.size());
    int last = buffer.size() - 1;
    T item = buffer.get(pick);
    buffer.set(pick, buffer.get(last));
    buffer.remove(last);
    return item;
  }

  private void fill() {
    while (buffer.size() < capacity && source.hasNext()) {
      buffer.add(source.next());
    }
  }
}
