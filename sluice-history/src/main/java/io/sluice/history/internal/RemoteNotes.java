package io.sluice.history.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a remote run's backend, run id, tier and commit, and when it started running, from the
 * notes its task gives ({@code submitted (local run run-1-2-3, tier Small, commit 0a1b2c3d4e5f)}):
 * task events carry no structured remote details, and the history stays free of the remote module.
 */
final class RemoteNotes {

  private static final Pattern WHERE = Pattern.compile(
      "^(?:submitted|re-attached to an earlier submission, not submitted again) \\((\\S+) run (\\S+)(?: re-attached)?,"
          + " tier (\\S+), commit ([0-9a-f]+)");
  private static final Pattern RUNNING = Pattern.compile("^running \\(\\S+ run ");
  private static final Pattern OVER = Pattern.compile("^(?:succeeded|failed|cancelled) \\(\\S+ run ");

  private RemoteNotes() {}

  /** Takes what the note says into the task's state. */
  static void apply(TaskState task, String note, long at) {
    Matcher where = WHERE.matcher(note);
    if (where.find()) {
      task.remoteBackend = where.group(1);
      task.remoteRunId = where.group(2);
      task.remoteTier = where.group(3);
      task.remoteCommit = where.group(4);
      task.remoteSubmittedAt = at;
      task.remoteRunningAt = null;
      task.remoteQueuedMs = null;
      task.remoteRanMs = null;
    } else if (RUNNING.matcher(note).find() && task.remoteSubmittedAt != null && task.remoteRunningAt == null) {
      task.remoteRunningAt = at;
      task.remoteQueuedMs = at - task.remoteSubmittedAt;
    } else if (OVER.matcher(note).find()) {
      ended(task, at);
    }
  }

  /** The remote run is over (its task ended): how long it ran, when it was seen running. */
  static void ended(TaskState task, long at) {
    if (task.remoteRunningAt != null && task.remoteRanMs == null) {
      task.remoteRanMs = at - task.remoteRunningAt;
    }
  }
}
