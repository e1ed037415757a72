package io.sluice.domino.emulator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The changing state of one run, guarded by its own lock. */
final class RunRecord {

  final String id;
  final String title;
  final List<String> command;
  final String tier;
  final String commitId;
  final long queued;
  final Path directory;
  /** The final status a fault imposes on this run, or null. */
  final Status imposedEnd;

  private Status status = Status.QUEUED;
  private long started;
  private long completed;
  private String outputCommitId;
  private Integer exitCode;
  private boolean stopRequested;
  private ProcessSession session;

  RunRecord(String id, String title, List<String> command, String tier, String commitId, long queued,
      Path directory, Status imposedEnd) {
    this.id = id;
    this.title = title;
    this.command = List.copyOf(command);
    this.tier = tier;
    this.commitId = commitId;
    this.queued = queued;
    this.directory = directory;
    this.imposedEnd = imposedEnd;
  }

  Path workspace() {
    return directory.resolve("workspace");
  }

  Path stdoutFile() {
    return directory.resolve("stdout.log");
  }

  Path setupFile() {
    return directory.resolve("setup.log");
  }

  synchronized Status status() {
    return status;
  }

  synchronized boolean stopRequested() {
    return stopRequested;
  }

  /** Moves to a status on the way, unless a stop was asked for (its statuses win) or the run has ended. */
  synchronized void advance(Status next) {
    if (!status.isFinal() && !stopRequested) {
      status = next;
    }
  }

  synchronized void markStarted(long now) {
    started = now;
  }

  /** Records the process; false (and nothing recorded) when a stop came first. */
  synchronized boolean attach(ProcessSession process) {
    if (stopRequested) {
      return false;
    }
    session = process;
    status = Status.RUNNING;
    return true;
  }

  /** Asks for a stop; returns the process to end, or null when there is none (yet) or the run has ended. */
  synchronized ProcessSession requestStop() {
    if (status.isFinal() || stopRequested || status == Status.FINISHING) {
      return null;
    }
    stopRequested = true;
    status = Status.STOP_REQUESTED;
    return session;
  }

  synchronized void stopping() {
    if (status == Status.STOP_REQUESTED) {
      status = Status.STOPPING;
    }
  }

  /** The command ended: its exit code is known, the output commit is being made. */
  synchronized void commandEnded(Integer exit) {
    exitCode = exit;
    if (!stopRequested) {
      status = Status.FINISHING;
    }
  }

  /** The last step: the output commit is set, and with it the final status. */
  synchronized void finish(Status end, String outputCommit, long now) {
    status = end;
    outputCommitId = outputCommit;
    completed = now;
  }

  synchronized EmulatedRun snapshot() {
    return new EmulatedRun(id, title, command, status.wireName(), tier, commitId, outputCommitId, exitCode,
        Instant.ofEpochMilli(queued), started == 0 ? null : Instant.ofEpochMilli(started),
        completed == 0 ? null : Instant.ofEpochMilli(completed));
  }

  /** The run as Domino's API shows it. */
  synchronized Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("title", title);
    json.put("command", String.join(" ", command));
    json.put("status", status.wireName());
    json.put("commitId", commitId);
    json.put("outputCommitId", outputCommitId);
    json.put("isCompleted", outputCommitId != null);
    json.put("queued", queued);
    json.put("started", started == 0 ? null : started);
    json.put("completed", completed == 0 ? null : completed);
    json.put("hardwareTierId", tier);
    json.put("exitCode", exitCode);
    return json;
  }
}
