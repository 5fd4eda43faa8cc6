package io.nautilus.io;

import java.util.regex.Pattern;

/** Locations as they may be shown to people. */
public final class Locations {
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@");

  private Locations() {}

  /** {@code s3a://key:secret@bucket/x} as {@code s3a://***@bucket/x}; other locations unchanged. */
  public static String redact(String location) {
    return USER_INFO.matcher(location).replaceFirst("$1***@");
  }
}
