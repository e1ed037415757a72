package io.sluice.internal;

import io.sluice.TaskId;

/** Names of per-task log files: readable, filesystem-safe, unique per task id. */
public final class LogFiles {

  private LogFiles() {}

  /** {@code FitModel-alpha_0.5-1a2b3c4d.log}. */
  public static String name(TaskId id) {
    StringBuilder readable = new StringBuilder(id.family());
    id.params().forEach((k, v) -> readable.append('-').append(k).append('_').append(v));
    String safe = readable.toString().replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 80) {
      safe = safe.substring(0, 80);
    }
    return safe + "-" + String.format("%08x", id.toString().hashCode()) + ".log";
  }
}
