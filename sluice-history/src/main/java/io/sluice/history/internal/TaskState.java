package io.sluice.history.internal;

/** A task's row as the writer knows it: built up from the task's events, written whole. */
final class TaskState {
  final int number;
  final String family;
  final String name;
  final String params;
  String status = "PENDING";
  int attempts;
  Long startedAt;
  Long endedAt;
  String error;
  String stackTrace;
  String logFile;
  String outputs;
  String remoteBackend;
  String remoteRunId;
  String remoteTier;
  String remoteCommit;
  Long remoteSubmittedAt;
  Long remoteRunningAt;
  Long remoteQueuedMs;
  Long remoteRanMs;

  TaskState(int number, String family, String name, String params) {
    this.number = number;
    this.family = family;
    this.name = name;
    this.params = params;
  }

  /** Whether the row has any value of the columns a task that simply ran leaves null. */
  boolean hasRareValues() {
    return error != null || stackTrace != null || remoteBackend != null || remoteRunId != null || remoteTier != null
        || remoteCommit != null || remoteQueuedMs != null || remoteRanMs != null;
  }

  Long durationMs() {
    return startedAt == null || endedAt == null ? null : endedAt - startedAt;
  }
}
