package io.nautilus.audio;

import static io.nautilus.audio.LittleEndian.u32;
import static io.nautilus.audio.LittleEndian.u64;

import io.nautilus.audio.AudioFormatException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a RIFF/RF64 WAVE file: walks its chunks to {@code fmt } and {@code data}, then reads,
 * checks and optionally decodes the data.
 *
 * <p>Rules for files seen in the wild:
 *
 * <ul>
 *   <li>Chunks other than {@code fmt }, {@code data} and {@code ds64} are skipped wherever they
 *       are. A writer that left out the pad byte after an odd-sized chunk is recognised when the
 *       byte in the pad position starts a chunk id.
 *   <li>A file that ends before its data chunk is TRUNCATED: a header cut short and a data chunk
 *       never written look the same, and the first is the common case.
 *   <li>The RIFF size is ignored: writers get it wrong often and it adds nothing to the data size.
 *   <li>Streaming writers cannot seek back to fill in sizes and leave placeholders: espeak-ng
 *       {@code --stdout} and sox writing to a pipe put 0x7FFFF000 in the data size, others
 *       0x7FFFFFFF or 0xFFFFFFFF. A data size of at least {@value #PLACEHOLDER_MIN} that the file
 *       does not hold is taken as such a placeholder: the data runs to the end of the file. (A
 *       genuinely truncated file of more than 2 GiB would pass the same way.)
 *   <li>A data size that is not a whole number of frames is CORRUPT: the writer recorded that size
 *       itself, so the header contradicts its own format, and truncation cannot cause it because a
 *       cut file keeps its header. When the size is a placeholder, the data is measured by the end
 *       of the file instead, and a partial last frame there means the stream was cut: TRUNCATED.
 *   <li>Once the data has been read, whatever follows (LIST, id3, junk, a missing pad byte) is not
 *       examined: it cannot change the audio.
 * </ul>
 */
final class WavReader {

  static final long PLACEHOLDER_MIN = 0x7FFFF000L;
  private static final long RF64_SIZE_IN_DS64 = 0xFFFFFFFFL;
  private static final int MAX_FMT_SIZE = 1 << 16;
  private static final int DS64_MIN_SIZE = 28;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final ByteInput in;
  private final String source;
  private final ReadPlan plan;

  private WavReader(ByteInput in, String source, ReadPlan plan) {
    this.in = in;
    this.source = source;
    this.plan = plan;
  }

  static ReadResult read(ByteInput in, String source, ReadPlan plan)
      throws IOException, AudioFormatException {
    return new WavReader(in, source, plan).read();
  }

  private ReadResult read() throws IOException, AudioFormatException {
    byte[] riff = new byte[12];
    if (in.read(riff, 0, riff.length) < riff.length) {
      throw fail(Reason.TRUNCATED, "the file ends inside its 12-byte RIFF header");
    }
    // RF64 and BW64 keep sizes above 4 GiB in a ds64 chunk; the sniffer let only these and RIFF in.
    boolean rf64 = !new String(riff, 0, 4, StandardCharsets.US_ASCII).equals("RIFF");
    long ds64DataSize = -1;
    WavFormat format = null;
    byte[] header = new byte[8];
    while (true) {
      long chunkStart = in.position();
      int n = in.read(header, 0, header.length);
      if (n == 0) {
        throw fail(
            Reason.TRUNCATED,
            String.format(
                "the file ends after %d bytes without a %s chunk",
                chunkStart, format == null ? "fmt" : "data"));
      }
      if (n < header.length) {
        throw fail(
            Reason.TRUNCATED,
            String.format(
                "the file ends inside the chunk header at byte %d (%d of 8 bytes)", chunkStart, n));
      }
      String id = chunkId(header, chunkStart);
      long size = u32(header, 4);
      switch (id) {
        case "fmt " -> {
          if (format != null) {
            throw fail(Reason.CORRUPT, "a second fmt chunk at byte " + chunkStart);
          }
          format = WavFormat.parse(readChunk(id, size, chunkStart), (int) size, source);
          skipPad(size);
        }
        case "ds64" -> {
          byte[] ds64 = readChunk(id, size, chunkStart);
          if (size < DS64_MIN_SIZE) {
            throw fail(Reason.CORRUPT, "the ds64 chunk has " + size + " bytes, 28 are needed");
          }
          ds64DataSize = u64(ds64, 8);
          skipPad(size);
        }
        case "data" -> {
          if (format == null) {
            throw fail(
                Reason.CORRUPT,
                "the data chunk at byte " + chunkStart + " comes before any fmt chunk");
          }
          if (rf64 && size == RF64_SIZE_IN_DS64) {
            if (ds64DataSize < 0) {
              throw fail(Reason.CORRUPT, "an RF64 data chunk refers to a missing ds64 chunk");
            }
            return readData(format, ds64DataSize, false);
          }
          return readData(format, size, !rf64 && size >= PLACEHOLDER_MIN);
        }
        default -> {
          long skipped = in.skip(size);
          if (skipped < size) {
            throw fail(
                Reason.TRUNCATED,
                String.format(
                    "the file ends inside chunk '%s' at byte %d, which declares %d bytes",
                    id, chunkStart, size));
          }
          skipPad(size);
        }
      }
    }
  }

  private ReadResult readData(WavFormat format, long declared, boolean mayBePlaceholder)
      throws IOException, AudioFormatException {
    int align = format.blockAlign();
    if (!mayBePlaceholder && declared % align != 0) {
      throw notWholeFrames(declared, align);
    }
    if (declared == 0) {
      throw fail(Reason.ZERO_LENGTH, "the data chunk holds no audio frames");
    }
    if (plan.headerOnly()) {
      long present = mayBePlaceholder ? in.drain() : declared;
      return new ReadResult(
          format.info(framesIn(present, declared, mayBePlaceholder, align)), null);
    }
    if (!plan.decodes()) {
      long end = scan(format, 0, declared, null);
      long frames = framesIn(end, declared, mayBePlaceholder, align);
      if (end == declared) {
        in.drain();
      }
      return new ReadResult(format.info(frames), null);
    }
    SampleCollector sink =
        SampleCollector.forSlice(source, format.info(0), plan.slice(), declared / align);
    long stop = Math.min(declared, saturatedBytes(sink.end(), align));
    long first = Math.min(saturatedBytes(sink.start(), align), stop);
    long position = in.skip(first);
    sink.skipTo(position / align);
    if (position == first) {
      position = scan(format, position, stop, sink);
    }
    if (position < stop) {
      // The file ended early: a truncation error, or the natural end of a streamed file.
      framesIn(position, declared, mayBePlaceholder, align);
    }
    return new ReadResult(format.info(sink.size()), sink.samples());
  }

  /**
   * Reads data bytes {@code [position, stop)}, checking float samples and handing frames to the
   * sink when there is one.
   *
   * @return where reading stopped: {@code stop}, or less at the end of the file
   */
  private long scan(WavFormat format, long position, long stop, SampleCollector sink)
      throws IOException, AudioFormatException {
    int align = format.blockAlign();
    boolean convert = sink != null || format.encoding().isFloat();
    int blockFrames = Math.max(1, BUFFER_BYTES / align);
    byte[] buffer = new byte[blockFrames * align];
    float[][] block = convert ? new float[format.channels()][blockFrames] : null;
    while (position < stop) {
      int want = (int) Math.min(buffer.length, stop - position);
      int got = in.read(buffer, 0, want);
      int frames = got / align;
      if (convert && frames > 0) {
        int bad = PcmCodec.decode(format.encoding(), buffer, format.channels(), frames, block);
        if (bad >= 0) {
          throw fail(
              Reason.CORRUPT,
              String.format(
                  "the float sample at frame %d is not a finite number", position / align + bad));
        }
        if (sink != null) {
          sink.accept(block, frames);
        }
      }
      position += got;
      if (got < want) {
        break;
      }
    }
    return position;
  }

  /**
   * Frames in {@code present} data bytes, where the end of the file came before {@code declared}
   * bytes: the data runs to the end if the size is a placeholder, else the file is truncated.
   */
  private long framesIn(long present, long declared, boolean mayBePlaceholder, int align)
      throws AudioFormatException {
    if (present >= declared) {
      if (declared % align != 0) {
        throw notWholeFrames(declared, align);
      }
      return declared / align;
    }
    if (!mayBePlaceholder) {
      throw fail(
          Reason.TRUNCATED,
          String.format(
              "the data chunk declares %d bytes but only %d are present", declared, present));
    }
    if (present % align != 0) {
      throw fail(
          Reason.TRUNCATED,
          String.format(
              "the audio data (running to the end of the file, its size being the streaming"
                  + " placeholder %d) ends inside a frame: %d bytes is not a whole number of"
                  + " %d-byte frames",
              declared, present, align));
    }
    if (present == 0) {
      throw fail(Reason.ZERO_LENGTH, "the data chunk holds no audio frames");
    }
    return present / align;
  }

  private AudioFormatException notWholeFrames(long declared, int align) {
    return fail(
        Reason.CORRUPT,
        String.format(
            "the data chunk declares %d bytes, not a whole number of %d-byte frames",
            declared, align));
  }

  private byte[] readChunk(String id, long size, long chunkStart)
      throws IOException, AudioFormatException {
    if (size > MAX_FMT_SIZE) {
      throw fail(
          Reason.CORRUPT,
          String.format(
              "chunk '%s' at byte %d declares %d bytes, more than such a chunk can hold",
              id, chunkStart, size));
    }
    byte[] body = new byte[(int) Math.max(size, WavFormat.MIN_SIZE)];
    if (in.read(body, 0, (int) size) < size) {
      throw fail(
          Reason.TRUNCATED,
          String.format(
              "the file ends inside chunk '%s' at byte %d, which declares %d bytes",
              id, chunkStart, size));
    }
    return body;
  }

  /** Chunks are word-aligned: an odd-sized chunk is followed by a zero pad byte. */
  private void skipPad(long size) throws IOException {
    if ((size & 1) == 0) {
      return;
    }
    int pad = in.read();
    if (pad > 0 && isIdChar(pad)) {
      // The writer left the pad out and this byte begins the next chunk id.
      in.unread(pad);
    }
  }

  private String chunkId(byte[] header, long chunkStart) throws AudioFormatException {
    for (int i = 0; i < 4; i++) {
      if (!isIdChar(header[i] & 0xFF)) {
        throw fail(
            Reason.CORRUPT,
            String.format(
                "broken chunk structure: bytes %02x %02x %02x %02x at byte %d are not a chunk id",
                header[0] & 0xFF,
                header[1] & 0xFF,
                header[2] & 0xFF,
                header[3] & 0xFF,
                chunkStart));
      }
    }
    return new String(header, 0, 4, StandardCharsets.US_ASCII);
  }

  private static boolean isIdChar(int b) {
    return b >= 0x20 && b < 0x7F;
  }

  private static long saturatedBytes(long frames, int align) {
    return frames > Long.MAX_VALUE / align ? Long.MAX_VALUE : frames * align;
  }

  private AudioFormatException fail(Reason reason, String detail) {
    return new AudioFormatException(reason, source, detail);
  }
}
