package io.sluice;

/** Where a task stands in a run. */
public enum TaskStatus {
  /** Waiting for what it requires or for a worker. */
  PENDING("pending"),
  /** Running now. */
  RUNNING("running"),
  /** Ran in this run and succeeded. */
  DONE("ran successfully"),
  /** Already complete when the run started (or completed meanwhile by another process). */
  COMPLETE("complete already"),
  /** Ran and failed, retries exhausted. */
  FAILED("failed"),
  /** External data that is missing. */
  MISSING("missing external data"),
  /** Not run because something it requires failed or is missing. */
  UPSTREAM_FAILED("not run because upstream failed"),
  /** Not run because another process was running it and did not finish in time. */
  ALREADY_RUNNING("already running elsewhere"),
  /** Not run or stopped because the run was interrupted. */
  INTERRUPTED("interrupted"),
  /** Would run; shown by a dry run. */
  WOULD_RUN("would run");

  private final String label;

  TaskStatus(String label) {
    this.label = label;
  }

  /** How the summary says it. */
  public String label() {
    return label;
  }

  /** Whether the task's outputs are usable by its dependents. */
  public boolean satisfied() {
    return this == DONE || this == COMPLETE;
  }
}
