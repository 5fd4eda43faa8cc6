package io.nautilus.image;

import static io.nautilus.image.TestImages.checkerboard;
import static io.nautilus.image.TestImages.grey;
import static io.nautilus.image.TestImages.jpeg;
import static io.nautilus.image.TestImages.png;
import static io.nautilus.image.TestImages.read;
import static io.nautilus.image.TestImages.rgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.api.Test;

class ImageResizerTest {

  private static ImageResizer smallestSide(int n) {
    return ImageResizer.builder().optResizeSmallestSide(n).build();
  }

  @Test
  void landscapeShrinksItsHeightToNAndKeepsTheAspectRatio() throws Exception {
    ResizedImage out = smallestSide(100).apply(png(rgb(300, 200)), "l.png");

    assertThat(out.changed()).isTrue();
    assertThat(out.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 150, 100));
    BufferedImage decoded = read(out.bytes());
    assertThat(decoded.getWidth()).isEqualTo(150);
    assertThat(decoded.getHeight()).isEqualTo(100);
  }

  @Test
  void portraitShrinksItsWidthToN() throws Exception {
    ResizedImage out = smallestSide(64).apply(jpeg(rgb(96, 160)), "p.jpg");

    assertThat(out.info()).isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 106));
    assertThat(ImageProbe.validate(out.bytes(), "out.jpg")).isEqualTo(out.info());
  }

  @Test
  void longSideIsRoundedDownAsTorchvisionDoes() throws Exception {
    // 64 * 333 / 100 = 213.12 and 50 * 149 / 99 = 75.25...: both round down.
    assertThat(smallestSide(64).plan(new ImageInfo(ImageFormat.PNG, 333, 100), "a").size())
        .isEqualTo("213x64");
    assertThat(smallestSide(50).plan(new ImageInfo(ImageFormat.PNG, 99, 149), "b").size())
        .isEqualTo("50x75");
    assertThat(smallestSide(50).plan(new ImageInfo(ImageFormat.PNG, 77, 77), "c").size())
        .isEqualTo("50x50");
  }

  @Test
  void imagesAtOrUnderNComeBackAsTheSameBytesUndecoded() throws Exception {
    byte[] small = png(rgb(64, 48));
    byte[] exact = jpeg(rgb(80, 48));

    ResizedImage under = smallestSide(100).apply(small, "s.png");
    ResizedImage equal = smallestSide(48).apply(exact, "e.jpg");

    assertThat(under.changed()).isFalse();
    assertThat(under.bytes()).isSameAs(small);
    assertThat(under.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 64, 48));
    assertThat(equal.changed()).isFalse();
    assertThat(equal.bytes()).isSameAs(exact);
  }

  @Test
  void upscaleHappensOnlyWhenAsked() throws Exception {
    ImageResizer upscaling =
        ImageResizer.builder().optResizeSmallestSide(96).optAllowUpscale(true).build();

    ResizedImage out = upscaling.apply(png(rgb(64, 48)), "u.png");

    assertThat(out.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 128, 96));
    assertThat(read(out.bytes()).getWidth()).isEqualTo(128);
  }

  @Test
  void upscaleOverTheLimitsIsRefusedBeforeDecoding() {
    ImageResizer upscaling =
        ImageResizer.builder().optResizeSmallestSide(256).optAllowUpscale(true).build();
    // Only a header: the refusal must come before any attempt to decode.
    byte[] thin = TestImages.pngHeader(30_000, 10, 8, 2);

    assertThatThrownBy(() -> upscaling.apply(thin, "thin.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(
            "Cannot read image thin.png: resizing 30000x10 to smallest side 256 gives 768000x256,"
                + " a side over the limit of 30000 pixels; refused before decoding")
        .extracting(e -> ((ImageFormatException) e).reason())
        .isEqualTo(ImageFormatException.Reason.TOO_LARGE);
  }

  @Test
  void centerCropAfterResizeGivesTheWindowSize() throws Exception {
    ImageResizer resizer =
        ImageResizer.builder()
            .optResizeSmallestSide(100)
            .optCenterCrop(CenterCrop.parse("100,100"))
            .build();

    ResizedImage out = resizer.apply(png(rgb(300, 200)), "c.png");

    assertThat(out.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 100, 100));
    BufferedImage decoded = read(out.bytes());
    assertThat(decoded.getWidth()).isEqualTo(100);
    assertThat(decoded.getHeight()).isEqualTo(100);
  }

  @Test
  void cropAloneCopiesTheCentrePixelsExactly() throws Exception {
    BufferedImage columns = grey(10, 6, (x, y) -> x * 20 + y);
    ImageResizer resizer = ImageResizer.builder().optCenterCrop(new CenterCrop(4, 4)).build();

    BufferedImage out = read(resizer.apply(png(columns), "c.png").bytes());

    assertThat(out.getWidth()).isEqualTo(4);
    assertThat(out.getHeight()).isEqualTo(4);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertThat(out.getRaster().getSample(x, y, 0)).isEqualTo((x + 3) * 20 + (y + 1));
      }
    }
  }

  @Test
  void cropOffsetRoundsHalfToEvenLikeTorchvision() throws Exception {
    // (9 - 4) / 2 = 2.5 rounds to 2; (8 - 5) / 2 = 1.5 rounds to 2.
    BufferedImage columns = grey(9, 8, (x, y) -> x * 20 + y);
    ImageResizer resizer = ImageResizer.builder().optCenterCrop(CenterCrop.parse("5,4")).build();

    BufferedImage out = read(resizer.apply(png(columns), "c.png").bytes());

    assertThat(out.getRaster().getSample(0, 0, 0)).isEqualTo(2 * 20 + 2);
  }

  @Test
  void cropWiderThanTheImageKeepsThatSideWholeWithoutPadding() throws Exception {
    byte[] source = png(rgb(50, 40));

    ResizedImage bigger =
        ImageResizer.builder().optCenterCrop(CenterCrop.parse("64,64")).build().apply(source, "a");
    ResizedImage partly =
        ImageResizer.builder().optCenterCrop(CenterCrop.parse("30, 64")).build().apply(source, "b");

    assertThat(bigger.changed()).isFalse();
    assertThat(bigger.bytes()).isSameAs(source);
    assertThat(partly.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 50, 30));
  }

  @Test
  void downscalingACheckerboardByFourGivesEvenGrey() throws Exception {
    BufferedImage out = read(smallestSide(16).apply(png(checkerboard(64, 64)), "c.png").bytes());

    double[] stats = meanAndStddev(out.getRaster());
    assertThat(out.getWidth()).isEqualTo(16);
    assertThat(stats[0]).isCloseTo(127.5, within(1.0));
    assertThat(stats[1]).isLessThan(2.0);
  }

  @Test
  void downscalingACheckerboardByAFractionalFactorGivesEvenGrey() throws Exception {
    BufferedImage out = read(smallestSide(17).apply(png(checkerboard(60, 60)), "c.png").bytes());

    double[] stats = meanAndStddev(out.getRaster());
    assertThat(out.getWidth()).isEqualTo(17);
    assertThat(stats[0]).isCloseTo(127.5, within(2.0));
    assertThat(stats[1]).isLessThan(6.0);
  }

  @Test
  void downscalingOneInFourWhiteLinesByFourGivesTheirAverage() throws Exception {
    // Point sampling gives 0 or 255 and unstretched bicubic gives 0: only averaging gives 64.
    BufferedImage lines = grey(64, 32, (x, y) -> x % 4 == 0 ? 255 : 0);

    BufferedImage out = read(smallestSide(8).apply(png(lines), "l.png").bytes());

    assertThat(out.getWidth()).isEqualTo(16);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        // Within 8 input pixels of an edge the kernel is cut short and the nearest lines weigh
        // more.
        double tolerance = x < 2 || x > 13 ? 20 : 1;
        assertThat((double) out.getRaster().getSample(x, y, 0))
            .as("x=%d y=%d", x, y)
            .isCloseTo(63.75, within(tolerance));
      }
    }
  }

  @Test
  void flatColourStaysExactlyFlat() throws Exception {
    BufferedImage flat = new BufferedImage(90, 70, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 70; y++) {
      for (int x = 0; x < 90; x++) {
        flat.setRGB(x, y, 0x3C7DB4);
      }
    }

    BufferedImage out = read(smallestSide(23).apply(png(flat), "f.png").bytes());

    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        assertThat(out.getRGB(x, y) & 0xFFFFFF).isEqualTo(0x3C7DB4);
      }
    }
  }

  @Test
  void transparentPixelsLendNoColourToTheirNeighbours() throws Exception {
    BufferedImage half = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        half.setRGB(x, y, x < 20 ? 0x00FF0000 : 0xFF0000FF);
      }
    }

    BufferedImage out = read(smallestSide(10).apply(png(half), "a.png").bytes());

    assertThat(out.getColorModel().hasAlpha()).isTrue();
    Raster raster = out.getRaster();
    for (int x = 0; x < 10; x++) {
      int alpha = raster.getSample(x, 5, 3);
      if (alpha > 0) {
        assertThat(raster.getSample(x, 5, 0)).as("red at x=%d", x).isZero();
        assertThat(raster.getSample(x, 5, 2)).as("blue at x=%d", x).isEqualTo(255);
      }
    }
    assertThat(raster.getSample(0, 5, 3)).isZero();
    assertThat(raster.getSample(9, 5, 3)).isEqualTo(255);
  }

  @Test
  void greyAndSixteenBitPngsKeepTheirLayout() throws Exception {
    BufferedImage grey16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        grey16.getRaster().setSample(x, y, 0, 40_000);
      }
    }

    BufferedImage grey8Out = read(smallestSide(10).apply(png(checkerboard(40, 30)), "g").bytes());
    BufferedImage grey16Out = read(smallestSide(10).apply(png(grey16), "g16").bytes());

    assertThat(grey8Out.getRaster().getNumBands()).isEqualTo(1);
    assertThat(grey8Out.getSampleModel().getSampleSize(0)).isEqualTo(8);
    assertThat(grey16Out.getRaster().getNumBands()).isEqualTo(1);
    assertThat(grey16Out.getSampleModel().getSampleSize(0)).isEqualTo(16);
    assertThat(grey16Out.getRaster().getSample(6, 4, 0)).isEqualTo(40_000);
  }

  @Test
  void greyJpegAndGreyAlphaPngKeepTheirChannels() throws Exception {
    BufferedImage greyAlpha =
        ImageTypeSpecifier.createInterleaved(
                ColorSpace.getInstance(ColorSpace.CS_GRAY),
                new int[] {0, 1},
                DataBuffer.TYPE_BYTE,
                true,
                false)
            .createBufferedImage(30, 20);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 30; x++) {
        greyAlpha.getRaster().setPixel(x, y, new int[] {90, 200});
      }
    }

    BufferedImage greyJpegOut =
        read(smallestSide(10).apply(jpeg(checkerboard(30, 20)), "g.jpg").bytes());
    BufferedImage greyAlphaOut = read(smallestSide(10).apply(png(greyAlpha), "ga.png").bytes());

    assertThat(greyJpegOut.getRaster().getNumBands()).isEqualTo(1);
    assertThat(greyAlphaOut.getRaster().getNumBands()).isEqualTo(2);
    assertThat(greyAlphaOut.getRaster().getPixel(7, 5, (int[]) null)).containsExactly(90, 200);
  }

  @Test
  void paletteImagesComeOutAsTruecolourOrGrey() throws Exception {
    IndexColorModel colours =
        new IndexColorModel(
            2, 2, new byte[] {(byte) 200, 10}, new byte[] {20, (byte) 250}, new byte[] {90, 30});
    BufferedImage palette = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_INDEXED, colours);
    BufferedImage binary = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        palette.getRaster().setSample(x, y, 0, x < 20 ? 0 : 1);
        binary.getRaster().setSample(x, y, 0, 1);
      }
    }

    BufferedImage paletteOut = read(smallestSide(8).apply(png(palette), "p.png").bytes());
    BufferedImage binaryOut = read(smallestSide(8).apply(png(binary), "b.png").bytes());

    assertThat(paletteOut.getRaster().getNumBands()).isEqualTo(3);
    assertThat(paletteOut.getRaster().getPixel(0, 4, (int[]) null)).containsExactly(200, 20, 90);
    assertThat(paletteOut.getRaster().getPixel(7, 4, (int[]) null)).containsExactly(10, 250, 30);
    assertThat(binaryOut.getRaster().getNumBands()).isEqualTo(1);
    assertThat(binaryOut.getRaster().getSample(3, 3, 0)).isEqualTo(255);
  }

  @Test
  void sameInputGivesTheSameBytes() throws Exception {
    byte[] png = png(rgb(123, 77));
    byte[] jpg = jpeg(rgb(123, 77));
    ImageResizer one = smallestSide(31);
    ImageResizer other = smallestSide(31);

    assertThat(one.apply(png, "a.png").bytes()).isEqualTo(other.apply(png, "a.png").bytes());
    assertThat(one.apply(jpg, "a.jpg").bytes()).isEqualTo(other.apply(jpg, "a.jpg").bytes());
  }

  @Test
  void jpegQualityDefaultsTo95AndLowerQualityIsSmaller() throws Exception {
    byte[] source = jpeg(rgb(200, 150), 1.0f);

    byte[] byDefault = smallestSide(60).apply(source, "q.jpg").bytes();
    byte[] at95 =
        ImageResizer.builder()
            .optResizeSmallestSide(60)
            .optJpegQuality(95)
            .build()
            .apply(source, "q.jpg")
            .bytes();
    byte[] at50 =
        ImageResizer.builder()
            .optResizeSmallestSide(60)
            .optJpegQuality(50)
            .build()
            .apply(source, "q.jpg")
            .bytes();

    assertThat(byDefault).isEqualTo(at95);
    assertThat(at50.length).isLessThan(at95.length);
  }

  @Test
  void corruptSourceIsRejectedWhenItMustBeDecoded() {
    byte[] bad = png(rgb(64, 48));
    bad[TestImages.chunk(bad, "IDAT") + 30] ^= 0x11;

    assertThatThrownBy(() -> smallestSide(32).apply(bad, "bad.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageStartingWith(
            "Cannot read image bad.png: the PNG chunk \"IDAT\" at byte 33 fails its CRC");
  }

  @Test
  void everyShippedSampleImageResizesAndCropsToTheWindowInItsOwnFormat() throws Exception {
    Path dir = TestImages.sampleDir();
    ObjectMapper json = new ObjectMapper();
    ImageResizer resizer =
        ImageResizer.builder()
            .optResizeSmallestSide(48)
            .optCenterCrop(CenterCrop.parse("48,48"))
            .build();
    for (String line : Files.readAllLines(dir.resolve("manifest.jsonl"))) {
      String path = json.readTree(line).get("image_filepath").asText();
      byte[] bytes = Files.readAllBytes(dir.resolve(path));

      ResizedImage out = resizer.apply(bytes, path);

      ImageFormat format = path.endsWith(".png") ? ImageFormat.PNG : ImageFormat.JPEG;
      assertThat(out.info()).as(path).isEqualTo(new ImageInfo(format, 48, 48));
      assertThat(ImageProbe.validate(out.bytes(), path)).as(path).isEqualTo(out.info());
    }
  }

  @Test
  void resizerSurvivesJavaSerializationForSparkTasks() throws Exception {
    ImageResizer resizer =
        ImageResizer.builder()
            .optResizeSmallestSide(20)
            .optCenterCrop(new CenterCrop(16, 18))
            .optJpegQuality(80)
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(resizer);
    }
    ImageResizer copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ImageResizer) in.readObject();
    }
    byte[] source = jpeg(rgb(50, 40));

    assertThat(copy.toString())
        .isEqualTo(
            "ImageResizer{resize_smallest_side=20, allow_upscale=false, center_crop_h_w=16,18,"
                + " jpeg_quality=80}");
    assertThat(copy.apply(source, "s.jpg").bytes())
        .isEqualTo(resizer.apply(source, "s.jpg").bytes());
  }

  @Test
  void badOptionsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> ImageResizer.builder().optResizeSmallestSide(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot set resize_smallest_side to 0: it must be a positive pixel count");
    assertThatThrownBy(() -> ImageResizer.builder().optJpegQuality(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot set JPEG quality to 101: it must be in 1..100");
    assertThatThrownBy(() -> ImageResizer.builder().optAllowUpscale(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot build ImageResizer: allow_upscale is set but resize_smallest_side is not");
    assertThatThrownBy(() -> CenterCrop.parse("224x224"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot parse center_crop_h_w \"224x224\": expected \"H,W\", two positive integers");
    assertThatThrownBy(() -> CenterCrop.parse("0,5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot parse center_crop_h_w \"0,5\": expected \"H,W\", two positive integers");
  }

  /** Mean and population standard deviation of band 0. */
  private static double[] meanAndStddev(Raster raster) {
    int[] samples = raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), 0, (int[]) null);
    double mean = Arrays.stream(samples).average().orElseThrow();
    double variance =
        Arrays.stream(samples).mapToDouble(s -> (s - mean) * (s - mean)).average().orElseThrow();
    return new double[] {mean, Math.sqrt(variance)};
  }
}
