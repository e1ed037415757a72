package io.sluice;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a task during a run.
 *
 * @param kind what happened
 * @param id the task
 * @param task the task itself
 * @param attempt the attempt it happened on, 0 when the task did not run
 * @param at when it happened
 * @param elapsed how long the attempt ran, zero for events before or without a run
 * @param message the reason of a failure, retry or skip; empty otherwise
 * @param error the error of a failure or retry, or null
 * @param remote for a note of a remote run, where that run stands; null otherwise
 */
public record TaskEvent(
    Kind kind,
    TaskId id,
    Task task,
    int attempt,
    Instant at,
    Duration elapsed,
    String message,
    Throwable error,
    RemoteRunDetails remote) {

  /** An event that is not about a remote run. */
  public TaskEvent(Kind kind, TaskId id, Task task, int attempt, Instant at, Duration elapsed, String message,
      Throwable error) {
    this(kind, id, task, attempt, at, elapsed, message, error, null);
  }

  /** The kinds of events. */
  public enum Kind {
    /** An attempt started. */
    STARTED,
    /** The task succeeded and its outputs are in place. */
    SUCCEEDED,
    /** An attempt failed and will be tried again after a delay. */
    RETRYING,
    /** The task failed for good. */
    FAILED,
    /** The task is external and its data is missing. */
    MISSING,
    /** The task will not run: upstream failed, interrupted, or held by another process. */
    SKIPPED,
    /** The task was found complete (at graph time or after waiting for another process). */
    COMPLETE,
    /** A running task said how it is doing; the message says what. */
    NOTE
  }
}
