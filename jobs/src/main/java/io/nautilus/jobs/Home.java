package io.nautilus.jobs;

import java.nio.file.Path;

/** Where the shipped configs and sample data live: the launcher's folder, else the working dir. */
final class Home {
  private Home() {}

  static Path dir() {
    String home = System.getProperty("nautilus.home");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }
}
