package io.sluice;

import java.util.Collection;

/**
 * The process exit code of a run, most severe first: when several apply, the run exits with
 * the first in this order.
 */
public enum ExitCode {
  /** Unknown task, bad parameter, cycle, impossible resource request: nothing ran. */
  SCHEDULING_ERROR(2, "scheduling error"),
  /** Ctrl-C or SIGTERM: nothing new started, running tasks stopped. */
  INTERRUPTED(130, "interrupted"),
  /** At least one task failed. */
  TASK_FAILED(1, "a task failed"),
  /** External data is missing. */
  MISSING_EXTERNAL(3, "missing external data"),
  /** Another process held a task and did not finish it in time. */
  ALREADY_RUNNING(5, "already running elsewhere"),
  /** Tasks were not run because something upstream failed. */
  UPSTREAM_FAILED(4, "not run because upstream failed"),
  /** Everything is done, or there was nothing to do. */
  SUCCESS(0, "success");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The exit code for a run whose tasks ended with these statuses. */
  public static ExitCode of(Collection<TaskStatus> statuses) {
    ExitCode worst = SUCCESS;
    for (TaskStatus status : statuses) {
      ExitCode code = switch (status) {
        case FAILED -> TASK_FAILED;
        case MISSING -> MISSING_EXTERNAL;
        case UPSTREAM_FAILED -> UPSTREAM_FAILED;
        case ALREADY_RUNNING -> ALREADY_RUNNING;
        case INTERRUPTED, PENDING, RUNNING -> INTERRUPTED;
        default -> SUCCESS;
      };
      if (code.ordinal() < worst.ordinal()) {
        worst = code;
      }
    }
    return worst;
  }
}
