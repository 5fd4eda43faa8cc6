package io.nautilus.shard.wds;

/** Why a WebDataset input line was not written: one code per rejected line. */
public enum WdsReason {
  BLANK_LINE("the line is empty or only whitespace"),
  LINE_TOO_LONG("the line is longer than input.max_line_bytes"),
  INVALID_UTF8("the line is not valid UTF-8"),
  MALFORMED_JSON("the line is not valid JSON"),
  NOT_AN_OBJECT("the line is JSON but not an object"),
  MISSING_FIELD("a configured field (image_key or text_key) is missing"),
  WRONG_TYPE("a configured field is not a string"),
  PATH_OUTSIDE_ROOTS("the image path resolves outside the allowed roots"),
  FILE_NOT_FOUND("the image file does not exist"),
  EMPTY_FILE("the image file has zero bytes"),
  NOT_IMAGE("the file is not an image"),
  UNSUPPORTED_IMAGE("the image format is not supported"),
  TRUNCATED_IMAGE("the image file ends early"),
  CORRUPT_IMAGE("the image does not decode"),
  IMAGE_TOO_LARGE("the image's declared size is over the decoding limits"),
  RESOLUTION_FILTERED("the image fails image.filter_method / filter_value"),
  IO_ERROR("the image file could not be read");

  private final String description;

  WdsReason(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
