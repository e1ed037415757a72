package io.sluice.bench;

import java.util.Locale;

/** Which history a measured run records into with {@code --history}: one that exists, or one it creates. */
enum HistoryMode {
  /**
   * The history exists, with one earlier run of the same graph in it, as every run of a project
   * but its first finds it; prepared before the clock starts, outside the measured JVM.
   */
  EXISTING,
  /** No history file: the measured run creates it and its schema, as a project's first run does. */
  NEW;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static HistoryMode parse(String text) {
    for (HistoryMode mode : values()) {
      if (mode.label().equals(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown history '" + text + "' (known: existing, new)");
  }
}
