package io.nautilus.image;

import static io.nautilus.image.TestImages.concat;
import static io.nautilus.image.TestImages.jpeg;
import static io.nautilus.image.TestImages.png;
import static io.nautilus.image.TestImages.progressive;
import static io.nautilus.image.TestImages.rgb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageProbeTest {

  @Test
  void probeAndValidateMatchImageIoOnEveryShippedSampleImage() throws Exception {
    Path dir = TestImages.sampleDir();
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(dir.resolve("manifest.jsonl"));
    int pngs = 0;
    int jpegs = 0;
    for (String line : lines) {
      JsonNode record = json.readTree(line);
      String path = record.get("image_filepath").asText();
      byte[] bytes = Files.readAllBytes(dir.resolve(path));
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
      ImageFormat expected = path.endsWith(".png") ? ImageFormat.PNG : ImageFormat.JPEG;

      ImageInfo probed = ImageProbe.probe(bytes, path);

      assertThat(probed)
          .as(path)
          .isEqualTo(new ImageInfo(expected, decoded.getWidth(), decoded.getHeight()))
          .isEqualTo(
              new ImageInfo(expected, record.get("width").asInt(), record.get("height").asInt()));
      assertThat(ImageProbe.validate(bytes, path)).as(path).isEqualTo(probed);
      if (expected == ImageFormat.PNG) {
        pngs++;
      } else {
        jpegs++;
      }
    }
    assertThat(pngs).isEqualTo(45);
    assertThat(jpegs).isEqualTo(15);
  }

  @Test
  void pngProbeReadsOnlyTheSignatureAndIhdr() throws Exception {
    byte[] bytes = png(rgb(40, 30));
    CountingStream in = new CountingStream(bytes);

    ImageInfo info = ImageProbe.probe(in, "a.png");

    assertThat(info).isEqualTo(new ImageInfo(ImageFormat.PNG, 40, 30));
    assertThat(in.consumed()).isEqualTo(33);
  }

  @Test
  void jpegProbeStopsInsideTheFrameHeader() throws Exception {
    byte[] bytes = jpeg(rgb(40, 30));
    int sof = TestImages.marker(bytes, 0xC0);
    CountingStream in = new CountingStream(bytes);

    ImageInfo info = ImageProbe.probe(in, "a.jpg");

    assertThat(info).isEqualTo(new ImageInfo(ImageFormat.JPEG, 40, 30));
    // The marker, the length and precision, height, width and component count.
    assertThat(in.consumed()).isEqualTo(sof + 2 + 2 + 6);
  }

  @Test
  void formatComesFromTheBytesNotTheName() throws Exception {
    assertThat(ImageProbe.probe(png(rgb(5, 4)), "really.jpg").format()).isEqualTo(ImageFormat.PNG);
    assertThat(ImageProbe.probe(jpeg(rgb(5, 4)), "really.png").format())
        .isEqualTo(ImageFormat.JPEG);
  }

  @Test
  void progressiveJpegAndInterlacedPngAreRead() throws Exception {
    byte[] progressiveJpeg = progressive(rgb(33, 17), "jpeg");
    byte[] interlacedPng = progressive(rgb(33, 17), "png");
    assertThat(TestImages.marker(progressiveJpeg, 0xC2)).isPositive();
    assertThat(interlacedPng[8 + 8 + 12]).as("IHDR interlace method").isEqualTo((byte) 1);

    assertThat(ImageProbe.validate(progressiveJpeg, "p.jpg"))
        .isEqualTo(new ImageInfo(ImageFormat.JPEG, 33, 17));
    assertThat(ImageProbe.validate(interlacedPng, "i.png"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 33, 17));
  }

  @Test
  void greyscaleSixteenBitAndPalettePngsAreRead() throws Exception {
    BufferedImage grey16 = new BufferedImage(7, 9, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage palette =
        new BufferedImage(
            6,
            5,
            BufferedImage.TYPE_BYTE_INDEXED,
            new IndexColorModel(
                2,
                3,
                new byte[] {0, (byte) 200, 10},
                new byte[] {0, 20, (byte) 250},
                new byte[] {0, 90, 30}));

    assertThat(ImageProbe.validate(png(grey16), "g16.png"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 7, 9));
    assertThat(ImageProbe.validate(png(palette), "p.png"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 6, 5));
    assertThat(ImageProbe.validate(jpeg(TestImages.checkerboard(8, 8)), "g.jpg"))
        .isEqualTo(new ImageInfo(ImageFormat.JPEG, 8, 8));
  }

  @Test
  void jpegProbeSkipsExifAndCommentSegmentsBeforeTheFrame() throws Exception {
    byte[] plain = jpeg(rgb(21, 13));
    byte[] exif = {
      (byte) 0xFF, (byte) 0xE1, 0, 16, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8
    };
    byte[] comment = {(byte) 0xFF, (byte) 0xFE, 0, 7, 'h', 'e', 'l', 'l', 'o'};
    byte[] tagged =
        concat(concat(concat(new byte[] {plain[0], plain[1]}, exif), comment), tail(plain, 2));

    assertThat(ImageProbe.probe(new ByteArrayInputStream(tagged), "t.jpg"))
        .isEqualTo(new ImageInfo(ImageFormat.JPEG, 21, 13));
    assertThat(ImageProbe.validate(tagged, "t.jpg"))
        .isEqualTo(new ImageInfo(ImageFormat.JPEG, 21, 13));
  }

  @Test
  void bytesAfterTheEndMarkerAreIgnoredAsEveryReaderDoes() throws Exception {
    byte[] junk = "trailing junk".getBytes();

    assertThat(ImageProbe.validate(concat(png(rgb(4, 3)), junk), "a.png"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 4, 3));
    assertThat(ImageProbe.validate(concat(jpeg(rgb(4, 3)), junk), "a.jpg"))
        .isEqualTo(new ImageInfo(ImageFormat.JPEG, 4, 3));
  }

  @Test
  void validateReadsAStreamToItsEnd() throws Exception {
    CountingStream in = new CountingStream(png(rgb(12, 10)));

    ImageInfo info = ImageProbe.validate(in, "s.png");

    assertThat(info).isEqualTo(new ImageInfo(ImageFormat.PNG, 12, 10));
    assertThat(in.available()).isZero();
  }

  @Test
  void imageInfoReportsItsSize() {
    ImageInfo info = new ImageInfo(ImageFormat.JPEG, 120, 90);

    assertThat(info.size()).isEqualTo("120x90");
    assertThat(info.pixels()).isEqualTo(10_800L);
    assertThat(info.smallestSide()).isEqualTo(90);
    assertThat(info.format().extension()).isEqualTo("jpg");
    assertThat(ImageFormat.PNG.extension()).isEqualTo("png");
  }

  private static byte[] tail(byte[] b, int from) {
    return Arrays.copyOfRange(b, from, b.length);
  }

  /** A byte-array stream that tells how far it was read. */
  static final class CountingStream extends ByteArrayInputStream {
    private final int total;

    CountingStream(byte[] bytes) {
      super(bytes);
      this.total = bytes.length;
    }

    int consumed() {
      return total - available();
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      throw new IOException("the probe must not close the caller's stream");
    }
  }
}
