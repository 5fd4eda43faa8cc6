package io.nautilus.prepare;

/**
 * Why a manifest line was not accepted. Every rejected line carries exactly one code (the first
 * check it failed, in the order below) and a message naming the values involved.
 */
public enum RejectReason {
  BLANK_LINE("the line is empty or only whitespace"),
  LINE_TOO_LONG("the line is longer than input.max_line_bytes"),
  INVALID_UTF8("the line is not valid UTF-8"),
  MALFORMED_JSON("the line is not valid JSON"),
  NOT_AN_OBJECT("the line is JSON but not an object"),
  DUPLICATE_KEY("the JSON object repeats a key"),
  MISSING_AUDIO_PATH("no audio_filepath (or audio_filename / audio_file)"),
  MISSING_TEXT("no text (or normalized_text)"),
  WRONG_TYPE("a field has the wrong JSON type"),
  BAD_DURATION("duration is not a finite number in (0, input.max_plausible_duration]"),
  BAD_OFFSET("offset is not a finite number >= 0"),
  CONTROL_CHARS("the text holds control characters"),
  PATH_OUTSIDE_ROOTS("the media path resolves outside the allowed roots"),
  FILE_NOT_FOUND("the media file does not exist"),
  EMPTY_FILE("the media file has zero bytes"),
  NOT_AUDIO("the media file is not audio"),
  UNSUPPORTED_AUDIO("the audio encoding or container is not supported"),
  TRUNCATED_AUDIO("the audio file ends early"),
  CORRUPT_AUDIO("the audio file does not decode"),
  ZERO_LENGTH_AUDIO("the audio file holds no samples"),
  IO_ERROR("the media file could not be read"),
  OFFSET_OUT_OF_RANGE("offset + duration goes past the end of the audio"),
  DURATION_MISMATCH("the manifest duration differs from the audio's"),
  DISALLOWED_CHARS("the normalised text has characters outside normalize.allowed_chars"),
  EMPTY_TEXT("the normalised text is empty"),
  TEXT_TOO_LONG("the normalised text is longer than filter.max_text_length"),
  TOO_SHORT("duration is below filter.min_duration"),
  TOO_LONG("duration is not below filter.max_duration"),
  CPS_OUTLIER("characters per second are outside the configured bounds"),
  DUPLICATE("the same audio (and offset) appears earlier in the input");

  private final String description;

  RejectReason(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
