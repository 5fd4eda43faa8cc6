package io.nautilus.image;

import java.io.Serializable;
import java.util.Objects;

/**
 * NeMo's {@code center_crop_h_w}: the centre {@code height x width} window of an image.
 *
 * @param height rows to keep
 * @param width columns to keep
 */
public record CenterCrop(int height, int width) implements Serializable {

  public CenterCrop {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "Cannot create center crop: height "
              + height
              + " and width "
              + width
              + " must be positive");
    }
  }

  /**
   * Parses NeMo's {@code "H,W"} string, height first; spaces around the numbers are allowed.
   *
   * @throws IllegalArgumentException unless the text is two positive integers and a comma
   */
  public static CenterCrop parse(String hw) {
    Objects.requireNonNull(hw, "hw is null");
    String[] parts = hw.split(",", -1);
    if (parts.length == 2) {
      try {
        int height = Integer.parseInt(parts[0].strip());
        int width = Integer.parseInt(parts[1].strip());
        if (height > 0 && width > 0) {
          return new CenterCrop(height, width);
        }
      } catch (NumberFormatException e) {
        // Falls through to the message below, which shows the expected form.
      }
    }
    throw new IllegalArgumentException(
        "Cannot parse center_crop_h_w \"" + hw + "\": expected \"H,W\", two positive integers");
  }

  @Override
  public String toString() {
    return height + "," + width;
  }
}
