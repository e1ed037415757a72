package io.sluice.history;

import java.util.Locale;
import java.util.Map;

/** How a run was started: from a terminal, by cron (no terminal), or by a schedule. */
public enum StartedBy {
  TERMINAL,
  CRON,
  SCHEDULE;

  /** The variable that says it outright, for schedulers and wrappers: {@code terminal}, {@code cron} or {@code schedule}. */
  public static final String VARIABLE = "SLUICE_STARTED_BY";

  /**
   * {@value #VARIABLE} when set, else {@link #TERMINAL} with a terminal and {@link #CRON} without.
   *
   * @throws IllegalArgumentException when the variable holds something else
   */
  public static StartedBy detect(Map<String, String> environment, boolean terminal) {
    String said = environment.get(VARIABLE);
    if (said == null || said.isBlank()) {
      return terminal ? TERMINAL : CRON;
    }
    try {
      return valueOf(said.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(VARIABLE + "=" + said + " is not one of terminal, cron, schedule");
    }
  }

  /** As stored and shown: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stored label back. */
  public static StartedBy parse(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
