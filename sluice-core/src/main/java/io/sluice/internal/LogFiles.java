package io.sluice.internal;

import io.sluice.TaskId;

/** Names of per-task log files: readable, filesystem-safe, unique per task id. */
public final class LogFiles {

  private static final int READABLE_MAX = 80;

  private LogFiles() {}

  /** {@code FitModel-alpha_0.5-1a2b3c4d.log}. */
  public static String name(TaskId id) {
    return name(id, id.toString());
  }

  /** {@link #name(TaskId)} for a caller that has the id's text already ({@code text} is {@code id.toString()}). */
  public static String name(TaskId id, String text) {
    StringBuilder name = new StringBuilder(READABLE_MAX + 16);
    appendSafe(name, id.family());
    id.params().forEach((k, v) -> {
      name.append('-');
      appendSafe(name, k);
      name.append('_');
      appendSafe(name, String.valueOf(v));
    });
    if (name.length() > READABLE_MAX) {
      name.setLength(READABLE_MAX);
    }
    // Called for every task of a run (and by the history for each row): no regex, no Formatter.
    String hash = Integer.toHexString(text.hashCode());
    name.append('-');
    for (int i = hash.length(); i < 8; i++) {
      name.append('0');
    }
    return name.append(hash).append(".log").toString();
  }

  private static void appendSafe(StringBuilder to, String text) {
    // One '_' per code point, as a regex over the text would give.
    for (int i = 0; i < text.length() && to.length() <= READABLE_MAX; ) {
      int c = text.codePointAt(i);
      boolean safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      to.append(safe ? (char) c : '_');
      i += Character.charCount(c);
    }
  }
}
