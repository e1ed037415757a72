package io.sluice.bench;

import java.util.Locale;

/** What one measurement times. */
enum Phase {
  /** The whole pipeline runs: no output exists. */
  COLD,
  /** Every output exists but the root's: the graph is checked and only the root runs. */
  WARM,
  /** Every output exists: the graph is checked (all of it, under a policy that looks upstream) and nothing runs. */
  CHECK,
  /** No Sluice: a bare loop writes the same files atomically, the floor to compare against. */
  LIMIT;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Phase parse(String text) {
    for (Phase phase : values()) {
      if (phase.label().equals(text)) {
        return phase;
      }
    }
    throw new IllegalArgumentException("unknown phase '" + text + "' (known: cold, warm, check, limit, all)");
  }
}
