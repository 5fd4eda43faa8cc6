package io.nautilus.run;

import java.util.Iterator;
import java.util.function.Function;

/** Lazy mapping of a partition's iterator: Spark hands partitions over as plain iterators. */
public final class Iterators {
  private Iterators() {}

  public static <T, R> Iterator<R> map(Iterator<T> in, Function<T, R> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public R next() {
        return f.apply(in.next());
      }
    };
  }
}
