package io.sluice.history.internal;

import io.sluice.RemoteRunDetails;

/**
 * Keeps a remote run's backend, run id, tier and commit on its task's row, and times it from the
 * phases its task's events tell: queued from submission to the first "running", ran from there
 * to its end (or its task's end). Both are as coarse as the backend's polling.
 */
final class RemoteRuns {

  private RemoteRuns() {}

  /** Takes what a note's remote details say into the task's state. */
  static void apply(TaskState task, RemoteRunDetails remote, long at) {
    switch (remote.phase()) {
      case SUBMITTED, REATTACHED -> {
        task.remoteBackend = remote.backend();
        task.remoteRunId = remote.runId();
        task.remoteTier = remote.tier();
        task.remoteCommit = remote.commit();
        task.remoteSubmittedAt = at;
        task.remoteRunningAt = null;
        task.remoteQueuedMs = null;
        task.remoteRanMs = null;
      }
      case RUNNING -> {
        if (task.remoteSubmittedAt != null && task.remoteRunningAt == null) {
          task.remoteRunningAt = at;
          task.remoteQueuedMs = at - task.remoteSubmittedAt;
        }
      }
      case SUCCEEDED, FAILED, CANCELLED -> ended(task, at);
      default -> { }
    }
  }

  /** The remote run is over (or its task ended): how long it ran, when it was seen running. */
  static void ended(TaskState task, long at) {
    if (task.remoteRunningAt != null && task.remoteRanMs == null) {
      task.remoteRanMs = at - task.remoteRunningAt;
    }
  }
}
