import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Converts PNG files to baseline JPEG for scripts/make_sample_data.py, which has no JPEG encoder of
 * its own. Run as a single-file program: {@code java scripts/PngToJpeg.java in.png out.jpg ...}.
 */
public final class PngToJpeg {
  private static final float QUALITY = 0.9f;

  private PngToJpeg() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0 || args.length % 2 != 0) {
      System.err.println("Cannot convert: expected pairs of IN.png OUT.jpg, got " + args.length);
      System.exit(2);
    }
    for (int i = 0; i < args.length; i += 2) {
      convert(new File(args[i]), new File(args[i + 1]));
    }
  }

  private static void convert(File in, File out) throws IOException {
    BufferedImage source = ImageIO.read(in);
    if (source == null) {
      throw new IOException("Cannot read " + in + ": not an image ImageIO understands");
    }
    // The JPEG writer rejects images with alpha and mis-tags some colour models; plain RGB is safe.
    BufferedImage rgb =
        new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.createGraphics().drawImage(source, 0, 0, null);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(QUALITY);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(rgb, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
