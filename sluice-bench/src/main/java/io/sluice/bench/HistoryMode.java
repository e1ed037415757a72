package io.sluice.bench;

import java.util.Locale;

/**
 * Which history a measured run records into with {@code --history}: one that exists, one it
 * creates, or none ({@code off}, measured beside a history in the same round to give their ratio);
 * or none but a listener that ignores every event ({@code listener}), which measures what the
 * engine's events cost any listener, the history's recorder among them.
 */
enum HistoryMode {
  /** No history: the run as without {@code --history}, labelled so that its line pairs with the others. */
  OFF,
  /**
   * The history exists, with one earlier run of the same graph in it, as every run of a project
   * but its first finds it; prepared before the clock starts, outside the measured JVM.
   */
  EXISTING,
  /** No history file: the measured run creates it and its schema, as a project's first run does. */
  NEW,
  /** No history, one listener that ignores every event: the engine's share of recording's cost. */
  LISTENER;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static HistoryMode parse(String text) {
    for (HistoryMode mode : values()) {
      if (mode.label().equals(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown history '" + text + "' (known: off, existing, new, listener)");
  }
}
