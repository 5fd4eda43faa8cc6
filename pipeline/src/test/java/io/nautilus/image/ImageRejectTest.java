package io.nautilus.image;

import static io.nautilus.image.TestImages.cut;
import static io.nautilus.image.TestImages.jpeg;
import static io.nautilus.image.TestImages.jpegHeader;
import static io.nautilus.image.TestImages.png;
import static io.nautilus.image.TestImages.pngHeader;
import static io.nautilus.image.TestImages.rgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nautilus.image.ImageFormatException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ImageRejectTest {

  private static final byte[] PNG = png(rgb(64, 48));
  private static final byte[] JPEG = jpeg(rgb(64, 48));

  @Test
  void emptyFileIsEmpty() {
    assertRejected(new byte[0], "e.png", Reason.EMPTY_FILE)
        .hasMessage("Cannot read image e.png: the file is empty (0 bytes)");
  }

  @Test
  void textFileNamedPngIsNotAnImage() {
    byte[] text = "a red circle above a blue square\n".getBytes(StandardCharsets.UTF_8);

    assertRejected(text, "caption.png", Reason.NOT_IMAGE)
        .hasMessage(
            "Cannot read image caption.png: no PNG or JPEG signature; the file starts with text"
                + " \"a red circle abo\"");
  }

  @Test
  void htmlErrorPageNamedJpgIsNotAnImage() {
    byte[] html = "<!DOCTYPE html><html><body>404</body></html>".getBytes();

    assertRejected(html, "img.jpg", Reason.NOT_IMAGE)
        .hasMessage(
            "Cannot read image img.jpg: no PNG or JPEG signature; the file starts with text"
                + " \"<!DOCTYPE html><\"");
  }

  @Test
  void binaryGarbageIsNotAnImage() {
    assertRejected(new byte[] {0, 1, 2, (byte) 0xFE, 4, 5, 6, 7, 8, 9}, "g.png", Reason.NOT_IMAGE)
        .hasMessage(
            "Cannot read image g.png: no PNG or JPEG signature; the file starts with bytes 00 01"
                + " 02 fe 04 05 06 07");
  }

  @Test
  void gifWrittenByImageIoIsUnsupportedGif() {
    assertRejected(TestImages.write(rgb(5, 5), "gif"), "a.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read image a.jpg: GIF is not supported; only PNG and JPEG are");
  }

  @Test
  void bmpWrittenByImageIoIsUnsupportedBmp() {
    assertRejected(TestImages.write(rgb(5, 5), "bmp"), "a.png", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read image a.png: BMP is not supported; only PNG and JPEG are");
  }

  @Test
  void tiffWrittenByImageIoIsUnsupportedTiff() {
    assertRejected(TestImages.write(rgb(5, 5), "tiff"), "a.png", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read image a.png: TIFF is not supported; only PNG and JPEG are");
  }

  @Test
  void webpSignatureIsUnsupportedWebp() {
    byte[] webp = "RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

    assertRejected(webp, "a.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read image a.jpg: WebP is not supported; only PNG and JPEG are");
  }

  @Test
  void avifBrandIsUnsupportedAvif() {
    byte[] avif = "\0\0\0\u001cftypavif\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

    assertRejected(avif, "a.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read image a.jpg: AVIF is not supported; only PNG and JPEG are");
  }

  @Test
  void textStartingWithBmIsNotMistakenForBmp() {
    byte[] text = "BMW 320i, blue, 2004 model".getBytes();

    assertRejected(text, "car.jpg", Reason.NOT_IMAGE)
        .hasMessage(
            "Cannot read image car.jpg: no PNG or JPEG signature; the file starts with text"
                + " \"BMW 320i, blue, \"");
  }

  @Test
  void cmykJpegIsUnsupported() {
    assertRejected(jpegHeader(0xC0, 8, 10, 10, 4), "c.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read image c.jpg: 4-component (CMYK or YCCK) JPEG is not supported; only"
                + " greyscale and 3-component colour JPEG are");
  }

  @Test
  void twelveBitJpegIsUnsupported() {
    assertRejected(jpegHeader(0xC1, 12, 10, 10, 3), "t.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage("Cannot read image t.jpg: 12-bit JPEG is not supported; only 8-bit JPEG is");
  }

  @Test
  void losslessAndArithmeticJpegAreUnsupported() {
    assertRejected(jpegHeader(0xC3, 8, 10, 10, 3), "l.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read image l.jpg: lossless JPEG (SOF3 (0xFFC3)) is not supported; only"
                + " baseline, extended and progressive Huffman-coded JPEG are");
    assertRejected(jpegHeader(0xC9, 8, 10, 10, 3), "a.jpg", Reason.UNSUPPORTED_FORMAT)
        .hasMessage(
            "Cannot read image a.jpg: arithmetic-coded JPEG (SOF9 (0xFFC9)) is not supported;"
                + " only baseline, extended and progressive Huffman-coded JPEG are");
  }

  @Test
  void signatureAloneIsTruncated() {
    assertRejected(cut(PNG, 3), "s.png", Reason.TRUNCATED)
        .hasMessage("Cannot read image s.png: the file has only 3 bytes, too few for a signature");
  }

  @Test
  void pngCutInsideItsHeaderIsTruncated() {
    assertRejected(cut(PNG, 20), "h.png", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read image h.png: the file ends inside the PNG header (20 of 33 bytes)");
  }

  @Test
  void pngCutInsideImageDataIsTruncated() {
    int idat = TestImages.chunk(PNG, "IDAT");

    assertRejected(cut(PNG, idat + 30), "t.png", Reason.TRUNCATED)
        .hasMessageStartingWith(
            "Cannot read image t.png: the file ends inside the PNG chunk \"IDAT\" at byte 33 (")
        .hasMessageEndingWith(" data bytes declared, 22 present)");
  }

  @Test
  void pngWithoutEndChunkIsTruncated() {
    byte[] noEnd = cut(PNG, PNG.length - 12);

    assertRejected(noEnd, "n.png", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read image n.png: the file ends after "
                + noEnd.length
                + " bytes without the PNG end chunk (IEND)");
  }

  @Test
  void truncatedPngStillPassesTheHeaderProbe() throws Exception {
    int idat = TestImages.chunk(PNG, "IDAT");

    assertThat(ImageProbe.probe(cut(PNG, idat + 30), "t.png"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 64, 48));
  }

  @Test
  void jpegCutInsideItsScanIsTruncated() {
    int sos = TestImages.marker(JPEG, 0xDA);
    int scan = sos + 2 + (((JPEG[sos + 2] & 0xFF) << 8) | (JPEG[sos + 3] & 0xFF));

    assertRejected(cut(JPEG, sos + 100), "t.jpg", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read image t.jpg: the file ends after "
                + (sos + 100)
                + " bytes inside the JPEG scan data that starts at byte "
                + scan
                + ", before the end-of-image marker (EOI)");
  }

  @Test
  void jpegCutBeforeItsFrameHeaderIsTruncated() {
    int sof = TestImages.marker(JPEG, 0xC0);

    assertRejected(cut(JPEG, sof), "h.jpg", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read image h.jpg: the file ends after "
                + sof
                + " bytes, before the JPEG frame header (SOF)");
    assertRejected(cut(JPEG, 10), "a.jpg", Reason.TRUNCATED)
        .hasMessage(
            "Cannot read image a.jpg: the file ends inside the JPEG segment APP0 (0xFFE0) at byte 2");
  }

  @Test
  void corruptedImageDataFailsTheChunkCrc() {
    byte[] bad = PNG.clone();
    int idat = TestImages.chunk(bad, "IDAT");
    bad[idat + 8 + 20] ^= 0x5A;

    assertRejected(bad, "c.png", Reason.CORRUPT)
        .hasMessageMatching(
            "Cannot read image c\\.png: the PNG chunk \"IDAT\" at byte 33 fails its CRC \\(stored"
                + " [0-9a-f]{8}, computed [0-9a-f]{8}\\)");
  }

  @Test
  void corruptedImageDataWithAMatchingCrcFailsToDecode() {
    byte[] bad = PNG.clone();
    int idat = TestImages.chunk(bad, "IDAT");
    bad[idat + 8] ^= 0x01;
    TestImages.fixCrc(bad, idat);

    assertRejected(bad, "z.png", Reason.CORRUPT)
        .hasMessage(
            "Cannot read image z.png: the pixel data does not decode: Error reading PNG image data:"
                + " incorrect header check");
  }

  @Test
  void corruptedJpegScanDataIsReportedByTheDecoder() {
    byte[] bad = JPEG.clone();
    int sos = TestImages.marker(bad, 0xDA);
    Random random = new Random(1);
    for (int i = 0; i < 30; i++) {
      int at = sos + 20 + random.nextInt(bad.length - sos - 30);
      if (bad[at] != (byte) 0xFF && bad[at - 1] != (byte) 0xFF) {
        bad[at] = (byte) random.nextInt(0xFF);
      }
    }

    assertRejected(bad, "f.jpg", Reason.CORRUPT)
        .hasMessageStartingWith(
            "Cannot read image f.jpg: the decoder reports damaged data: Corrupt JPEG data:");
  }

  @Test
  void corruptedHeaderCrcIsCorrupt() {
    byte[] bad = PNG.clone();
    bad[17] ^= 0x01;

    assertRejected(bad, "h.png", Reason.CORRUPT)
        .hasMessageMatching(
            "Cannot read image h\\.png: the PNG chunk \"IHDR\" at byte 8 fails its CRC \\(stored"
                + " [0-9a-f]{8}, computed [0-9a-f]{8}\\)");
  }

  @Test
  void signatureMangledByATextModeTransferIsCorrupt() {
    byte[] mangled = new byte[PNG.length - 1];
    System.arraycopy(PNG, 0, mangled, 0, 4);
    System.arraycopy(PNG, 5, mangled, 4, PNG.length - 5);

    assertRejected(mangled, "m.png", Reason.CORRUPT)
        .hasMessage(
            "Cannot read image m.png: the PNG signature is damaged (bytes 89 50 4e 47 0a 1a 0a"
                + " 00); a transfer in text mode rewrites its line-ending bytes");
  }

  @Test
  void impossibleColourTypeAndDepthAreCorrupt() {
    assertRejected(pngHeader(10, 10, 16, 3), "p.png", Reason.CORRUPT)
        .hasMessage(
            "Cannot read image p.png: the PNG header declares colour type 3 with bit depth 16, a"
                + " combination PNG does not define");
  }

  @Test
  void zeroWidthIsCorrupt() {
    assertRejected(pngHeader(0, 10, 8, 2), "z.png", Reason.CORRUPT)
        .hasMessage(
            "Cannot read image z.png: the PNG header declares 0x10; both sides must be in"
                + " 1..2147483647");
  }

  @Test
  void jpegScanBeforeFrameHeaderIsCorrupt() {
    byte[] sosFirst = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0};

    assertRejected(sosFirst, "s.jpg", Reason.CORRUPT)
        .hasMessage(
            "Cannot read image s.jpg: the JPEG has SOS (0xFFDA) at byte 2 before its frame header"
                + " (SOF)");
  }

  @Test
  void hugeDeclaredPngIsRefusedBeforeDecoding() {
    byte[] bomb = pngHeader(100_000, 100_000, 8, 2);

    assertRejected(bomb, "bomb.png", Reason.TOO_LARGE)
        .hasMessage(
            "Cannot read image bomb.png: the PNG header declares 100000x100000, a side over the"
                + " limit of 30000 pixels; refused before decoding");
  }

  @Test
  void pngUnderTheSideLimitButOverThePixelLimitIsRefused() {
    assertRejected(pngHeader(20_000, 20_000, 8, 6), "big.png", Reason.TOO_LARGE)
        .hasMessage(
            "Cannot read image big.png: the PNG header declares 20000x20000, 400000000 pixels,"
                + " over the limit of 100000000; refused before decoding");
  }

  @Test
  void hugeDeclaredJpegIsRefusedBeforeDecoding() {
    assertRejected(jpegHeader(0xC2, 8, 65_535, 65_535, 3), "bomb.jpg", Reason.TOO_LARGE)
        .hasMessage(
            "Cannot read image bomb.jpg: the JPEG frame header declares 65535x65535, a side over"
                + " the limit of 30000 pixels; refused before decoding");
  }

  @Test
  void callerLimitsApplyToProbeAndValidate() {
    ImageLimits small = new ImageLimits(100, 3000);

    assertThatThrownBy(() -> ImageProbe.probe(PNG, "l.png", small))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(
            "Cannot read image l.png: the PNG header declares 64x48, 3072 pixels, over the limit"
                + " of 3000; refused before decoding");
    assertThatThrownBy(() -> ImageProbe.validate(JPEG, "l.jpg", new ImageLimits(50, 10_000)))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(
            "Cannot read image l.jpg: the JPEG frame header declares 64x48, a side over the limit"
                + " of 50 pixels; refused before decoding");
  }

  @Test
  void failingStreamIsAnIoExceptionNotARejection() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };

    assertThatThrownBy(() -> ImageProbe.probe(failing, "s3://b/a.png"))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThatThrownBy(() -> ImageProbe.validate(failing, "s3://b/a.png"))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      byte[] bytes, String name, Reason reason) {
    AbstractThrowableAssert<?, ? extends Throwable> thrown =
        assertThatThrownBy(() -> ImageProbe.validate(bytes, name))
            .isInstanceOf(ImageFormatException.class);
    thrown.extracting(e -> ((ImageFormatException) e).reason()).as("reason").isEqualTo(reason);
    thrown.extracting(e -> ((ImageFormatException) e).source()).as("source").isEqualTo(name);
    return thrown;
  }
}
