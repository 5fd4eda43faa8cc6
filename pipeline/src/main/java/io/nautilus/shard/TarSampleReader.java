package io.nautilus.shard;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Streams the WebDataset samples of one tar shard, in archive order, holding one sample at a time.
 *
 * <p>Adjacent members sharing a key form a sample ({@link SampleMemberName}). Members WebDataset
 * skips are skipped and counted in {@link #skippedMembers()}: {@code __name__} metadata and names
 * without an extension. Directories are skipped too. A key that comes back after another key is a
 * new sample, as in WebDataset. Two members with the same extension in one sample, and every
 * hostile or corrupt member described in {@link TarEntryStream}, raise a {@link
 * ShardFormatException}; I/O failures raise {@link UncheckedIOException}.
 *
 * <p>Single use: {@link #iterator()} returns this reader and may be called once.
 */
public final class TarSampleReader implements Iterator<Sample>, Iterable<Sample>, AutoCloseable {
  /**
   * The default and largest member size, a little under 2 GiB: a member becomes one Java array, and
   * that is the longest array a JVM allocates.
   */
  public static final long DEFAULT_MAX_MEMBER_BYTES = Integer.MAX_VALUE - 8;

  private record Member(SampleMemberName name, byte[] data, long offset) {}

  private final InputStream in;
  private final String url;
  private final TarEntryStream entries;
  private Member pending;
  private Sample next;
  private boolean exhausted;
  private boolean iterated;
  private long skipped;

  public TarSampleReader(InputStream in, String url) {
    this(in, url, DEFAULT_MAX_MEMBER_BYTES);
  }

  /**
   * @param in the shard's bytes; closed by {@link #close()}
   * @param url names the shard in samples and error messages
   * @param maxMemberBytes larger members are refused, up to {@link #DEFAULT_MAX_MEMBER_BYTES}
   */
  public TarSampleReader(InputStream in, String url, long maxMemberBytes) {
    Objects.requireNonNull(in, "in is null");
    this.url = Objects.requireNonNull(url, "url is null");
    if (maxMemberBytes < 0 || maxMemberBytes > DEFAULT_MAX_MEMBER_BYTES) {
      throw new IllegalArgumentException(
          "Cannot read shard "
              + url
              + ": maxMemberBytes "
              + maxMemberBytes
              + " is outside 0.."
              + DEFAULT_MAX_MEMBER_BYTES);
    }
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024);
    this.entries = new TarEntryStream(this.in, url, maxMemberBytes);
  }

  public String url() {
    return url;
  }

  /** Members skipped so far: metadata entries and names without an extension. */
  public long skippedMembers() {
    return skipped;
  }

  @Override
  public Iterator<Sample> iterator() {
    if (iterated) {
      throw new IllegalStateException("Cannot iterate shard " + url + " twice: it is a stream");
    }
    iterated = true;
    return this;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !exhausted) {
      try {
        next = readSample();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read shard " + url + ": " + e.getMessage(), e);
      }
      exhausted = next == null;
    }
    return next != null;
  }

  @Override
  public Sample next() {
    if (!hasNext()) {
      throw new NoSuchElementException("Shard " + url + " has no more samples");
    }
    Sample sample = next;
    next = null;
    return sample;
  }

  @Override
  public void close() throws IOException {
    exhausted = true;
    next = null;
    pending = null;
    in.close();
  }

  private Sample readSample() throws IOException {
    Member first = pending != null ? pending : readMember();
    pending = null;
    if (first == null) {
      return null;
    }
    String key = first.name().key();
    LinkedHashMap<String, byte[]> members = new LinkedHashMap<>();
    members.put(first.name().extension(), first.data());
    for (Member member = readMember(); member != null; member = readMember()) {
      if (!member.name().key().equals(key)) {
        pending = member;
        break;
      }
      if (members.containsKey(member.name().extension())) {
        throw entries.fail(
            "sample '"
                + key
                + "' has two members with extension '"
                + member.name().extension()
                + "' (the second at offset "
                + member.offset()
                + ")");
      }
      members.put(member.name().extension(), member.data());
    }
    return new Sample(key, url, members);
  }

  private Member readMember() throws IOException {
    for (TarEntryStream.Entry entry = entries.next(); entry != null; entry = entries.next()) {
      Optional<SampleMemberName> name = SampleMemberName.parse(entry.name());
      if (name.isEmpty()) {
        skipped++;
        continue;
      }
      return new Member(name.get(), entries.readData(), entry.headerOffset());
    }
    return null;
  }
}
