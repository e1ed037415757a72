package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit this build of Sluice was made from, written into the jar when it is
 * built ({@code build-info.properties}); "development build" when the classes were not built by Maven.
 */
record BuildInfo(String version, String commit) {

  static final String RESOURCE = "build-info.properties";

  static BuildInfo current() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return new BuildInfo("(development build)", "unknown");
      }
      Properties properties = new Properties();
      properties.load(in);
      return new BuildInfo(properties.getProperty("version", "unknown"), properties.getProperty("commit", "unknown"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE + " from the sluice jar: " + e.getMessage(), e);
    }
  }

  /** The line {@code sluice --version} prints. */
  String describe() {
    return "sluice " + version + " (commit " + commit + ")";
  }
}
