package io.nautilus.audio;

import io.nautilus.audio.AudioFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.frame.Header;
import org.jflac.metadata.Metadata;

/**
 * Reads a native FLAC stream: metadata here, frames with jflac.
 *
 * <p>jflac needs watching. It reports CRC mismatches, bad frame headers and lost sync only to frame
 * listeners and then carries on (with zeroed samples, or by searching for the next frame); it
 * treats a cut frame like a clean end of stream; it may throw runtime exceptions on garbage; and it
 * parses metadata blocks with lengths it trusts (a flipped bit in a Vorbis comment count can ask
 * for gigabytes). So this reader walks the metadata itself and hands jflac only STREAMINFO and the
 * frames, turns the first reported error into an {@link AudioFormatException}, and measures whether
 * jflac consumed bytes it could not decode at the end.
 *
 * <p>A whole-stream read checks that every frame decodes, that frames agree with STREAMINFO, that
 * the sample count matches STREAMINFO (when the encoder recorded one) and that the audio matches
 * the STREAMINFO MD5 (when recorded). Bytes after the last declared sample, like an ID3v1 tag, are
 * ignored; without a declared count they are an error, as nothing tells them from a damaged frame.
 * jflac prints a line to stdout for each partition with escape-coded residuals; that is noise, not
 * an error.
 */
final class FlacReader {

  private static final byte[] MAGIC = {'f', 'L', 'a', 'C'};
  private static final int TYPE_STREAMINFO = 0;
  private static final int TYPE_INVALID = 127;
  private static final int MAX_SUPPORTED_BITS = 24;
  private static final int MIN_BITS = 4;

  private final ByteInput in;
  private final TrackedInputStream tracked;
  private final String source;
  private final ReadPlan plan;
  private boolean lastBlockSeen;

  private FlacReader(ByteInput in, TrackedInputStream tracked, String source, ReadPlan plan) {
    this.in = in;
    this.tracked = tracked;
    this.source = source;
    this.plan = plan;
  }

  /**
   * @param tracked the stream under {@code in}, to tell I/O failures from damaged frames
   */
  static ReadResult read(ByteInput in, TrackedInputStream tracked, String source, ReadPlan plan)
      throws IOException, AudioFormatException {
    return new FlacReader(in, tracked, source, plan).read();
  }

  private ReadResult read() throws IOException, AudioFormatException {
    // The sniffer has checked the magic.
    in.skip(MAGIC.length);
    byte[] streamInfoBytes = new byte[FlacStreamInfo.SIZE];
    readStreamInfo(streamInfoBytes);
    FlacStreamInfo info = FlacStreamInfo.parse(streamInfoBytes);
    check(info);
    if (plan.headerOnly() && info.totalSamples() > 0) {
      return new ReadResult(info.info(info.totalSamples()), null);
    }
    skipOtherMetadata();
    return decodeFrames(info, streamInfoBytes);
  }

  /** Reads the mandatory first metadata block. */
  private void readStreamInfo(byte[] body) throws IOException, AudioFormatException {
    byte[] header = new byte[4];
    long at = in.position();
    if (in.read(header, 0, 4) < 4) {
      throw fail(Reason.TRUNCATED, "the file ends inside the FLAC STREAMINFO header");
    }
    int type = header[0] & 0x7F;
    int length = blockLength(header);
    if (type != TYPE_STREAMINFO || length != FlacStreamInfo.SIZE) {
      throw fail(
          Reason.CORRUPT,
          String.format(
              "the first FLAC metadata block (byte %d) is type %d of %d bytes, not a 34-byte"
                  + " STREAMINFO",
              at, type, length));
    }
    if (in.read(body, 0, body.length) < body.length) {
      throw fail(Reason.TRUNCATED, "the file ends inside the FLAC STREAMINFO block");
    }
    lastBlockSeen = (header[0] & 0x80) != 0;
  }

  /** Skips the metadata blocks after STREAMINFO without parsing them (see the class comment). */
  private void skipOtherMetadata() throws IOException, AudioFormatException {
    byte[] header = new byte[4];
    int index = 1;
    while (!lastBlockSeen) {
      long at = in.position();
      if (in.read(header, 0, 4) < 4) {
        throw fail(
            Reason.TRUNCATED,
            "the file ends inside the header of FLAC metadata block " + index + " at byte " + at);
      }
      int type = header[0] & 0x7F;
      int length = blockLength(header);
      if (type == TYPE_STREAMINFO || type == TYPE_INVALID) {
        throw fail(
            Reason.CORRUPT,
            "FLAC metadata block " + index + " at byte " + at + " has invalid type " + type);
      }
      if (in.skip(length) < length) {
        throw fail(
            Reason.TRUNCATED,
            String.format(
                "the file ends inside FLAC metadata block %d (type %d, %d bytes at byte %d)",
                index, type, length, at));
      }
      lastBlockSeen = (header[0] & 0x80) != 0;
      index++;
    }
  }

  private void check(FlacStreamInfo info) throws AudioFormatException {
    if (info.sampleRate() == 0) {
      throw fail(Reason.CORRUPT, "FLAC STREAMINFO declares sample rate 0");
    }
    if (info.bitsPerSample() < MIN_BITS) {
      throw fail(
          Reason.CORRUPT,
          "FLAC STREAMINFO declares " + info.bitsPerSample() + " bits per sample, below 4");
    }
    if (info.bitsPerSample() > MAX_SUPPORTED_BITS) {
      throw fail(
          Reason.UNSUPPORTED_FORMAT,
          "FLAC with " + info.bitsPerSample() + " bits per sample is not supported; at most 24");
    }
  }

  private ReadResult decodeFrames(FlacStreamInfo info, byte[] streamInfoBytes)
      throws IOException, AudioFormatException {
    long total = info.totalSamples();
    SampleCollector sink =
        plan.decodes()
            ? SampleCollector.forSlice(source, info.info(0), plan.slice(), total > 0 ? total : -1)
            : null;
    if (sink != null && total > 0 && sink.start() >= total) {
      return new ReadResult(info.info(0), sink.samples());
    }
    MessageDigest md5 = plan.wholeStream() && info.hasMd5() ? md5() : null;
    FrameLoop loop = new FrameLoop(info, sink, md5);
    try {
      loop.run(streamInfoBytes);
    } catch (JflacError e) {
      throwIfStreamFailed();
      // jflac reports a frame cut by the end of the file as an EOFException in a subframe.
      if (e.getMessage().contains(EOFException.class.getName())) {
        throw fail(Reason.TRUNCATED, "the FLAC stream ends inside " + loop.where());
      }
      throw fail(Reason.CORRUPT, "FLAC " + loop.where() + " does not decode: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throwIfStreamFailed();
      throw new AudioFormatException(
          Reason.CORRUPT, source, "FLAC " + loop.where() + " does not decode: " + e, e);
    }
    throwIfStreamFailed();
    return finish(info, sink, md5, loop);
  }

  private ReadResult finish(
      FlacStreamInfo info, SampleCollector sink, MessageDigest md5, FrameLoop loop)
      throws IOException, AudioFormatException {
    long total = info.totalSamples();
    if (loop.cutAtEnd) {
      throw fail(Reason.TRUNCATED, "the FLAC stream ends inside " + loop.where());
    }
    if (loop.ended && total > 0 && loop.decoded < total) {
      throw fail(
          Reason.TRUNCATED,
          String.format(
              "the FLAC stream ends after %d of the %d samples STREAMINFO declares",
              loop.decoded, total));
    }
    if (total > 0 && loop.decoded > total) {
      throw fail(
          Reason.CORRUPT,
          "the FLAC frames hold " + loop.decoded + " samples, STREAMINFO declares " + total);
    }
    if (loop.ended && loop.decoded == 0) {
      throw fail(Reason.ZERO_LENGTH, "the FLAC stream holds no audio frames");
    }
    if (md5 != null && !Arrays.equals(md5.digest(), info.md5())) {
      throw fail(
          Reason.CORRUPT, "the decoded FLAC audio does not match the MD5 signature in STREAMINFO");
    }
    if (sink != null) {
      return new ReadResult(info.info(sink.size()), sink.samples());
    }
    if (!loop.ended) {
      in.drain();
    }
    return new ReadResult(info.info(loop.decoded), null);
  }

  /** Drives jflac frame by frame, checking each frame against STREAMINFO. */
  private final class FrameLoop {
    private final FlacStreamInfo info;
    private final SampleCollector sink;
    private final MessageDigest md5;
    private final int md5Bytes;
    private final float scale;
    private float[][] block = new float[0][];
    private byte[] md5Buffer = new byte[0];
    int frames;
    long decoded;
    boolean ended;
    boolean cutAtEnd;

    FrameLoop(FlacStreamInfo info, SampleCollector sink, MessageDigest md5) {
      this.info = info;
      this.sink = sink;
      this.md5 = md5;
      this.md5Bytes = (info.bitsPerSample() + 7) / 8;
      this.scale = 1.0f / (1 << (info.bitsPerSample() - 1));
    }

    /** The frame being decoded, for messages. */
    String where() {
      return "frame " + frames + " (after " + decoded + " samples)";
    }

    void run(byte[] streamInfoBytes) throws IOException, AudioFormatException {
      byte[] prefix = new byte[MAGIC.length + 4 + streamInfoBytes.length];
      System.arraycopy(MAGIC, 0, prefix, 0, MAGIC.length);
      prefix[MAGIC.length] = (byte) 0x80; // last metadata block, type STREAMINFO
      prefix[MAGIC.length + 3] = (byte) FlacStreamInfo.SIZE;
      System.arraycopy(streamInfoBytes, 0, prefix, MAGIC.length + 4, streamInfoBytes.length);
      FLACDecoder decoder =
          new FLACDecoder(
              new SequenceInputStream(new ByteArrayInputStream(prefix), in.remaining()));
      decoder.addFrameListener(new ErrorListener());
      decoder.readMetadata();
      long total = info.totalSamples();
      while (!(total > 0 && decoded >= total) && !(sink != null && sink.isComplete())) {
        long before = decoder.getTotalBytesRead();
        Frame frame = decoder.readNextFrame();
        if (decoder.getBadFrames() > 0) {
          throw new JflacError("the decoder skipped a damaged frame");
        }
        if (frame == null) {
          ended = true;
          // At a clean end jflac consumes nothing; a cut header or footer leaves bytes consumed.
          cutAtEnd = decoder.getTotalBytesRead() != before;
          return;
        }
        accept(frame.header, decoder.getChannelData());
      }
    }

    private void accept(Header header, ChannelData[] data) throws AudioFormatException {
      if (header.channels != info.channels()
          || header.bitsPerSample != info.bitsPerSample()
          || (header.sampleRate != 0 && header.sampleRate != info.sampleRate())) {
        throw fail(
            Reason.CORRUPT,
            String.format(
                "FLAC frame %d declares %d channels, %d bits, %d Hz; STREAMINFO %d channels, %d"
                    + " bits, %d Hz",
                frames,
                header.channels,
                header.bitsPerSample,
                header.sampleRate,
                info.channels(),
                info.bitsPerSample(),
                info.sampleRate()));
      }
      int n = header.blockSize;
      if (md5 != null) {
        updateMd5(data, n);
      }
      if (sink != null) {
        if (block.length == 0 || block[0].length < n) {
          block = new float[info.channels()][n];
        }
        for (int c = 0; c < info.channels(); c++) {
          int[] samples = data[c].getOutput();
          float[] out = block[c];
          for (int i = 0; i < n; i++) {
            out[i] = samples[i] * scale;
          }
        }
        sink.accept(block, n);
      }
      decoded += n;
      frames++;
    }

    /** FLAC's MD5 covers the samples interleaved, signed little-endian, in whole bytes. */
    private void updateMd5(ChannelData[] data, int n) {
      int channels = info.channels();
      int length = n * channels * md5Bytes;
      if (md5Buffer.length < length) {
        md5Buffer = new byte[length];
      }
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < channels; c++) {
          int v = data[c].getOutput()[i];
          for (int k = 0; k < md5Bytes; k++) {
            md5Buffer[p++] = (byte) (v >> (8 * k));
          }
        }
      }
      md5.update(md5Buffer, 0, length);
    }
  }

  /** Stops jflac at the first error it reports instead of letting it carry on. */
  private static final class ErrorListener implements FrameListener {
    @Override
    public void processMetadata(Metadata metadata) {}

    @Override
    public void processFrame(Frame frame) {}

    @Override
    public void processError(String message) {
      throw new JflacError(message);
    }
  }

  private static final class JflacError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JflacError(String message) {
      super(message, null, false, false);
    }
  }

  private void throwIfStreamFailed() throws IOException {
    if (tracked.failure() != null) {
      throw tracked.failure();
    }
  }

  private static int blockLength(byte[] header) {
    return ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot check FLAC signatures: the JVM has no MD5", e);
    }
  }

  private AudioFormatException fail(Reason reason, String detail) {
    return new AudioFormatException(reason, source, detail);
  }
}
