package io.sluice;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Something that happened to a task during a run. A value, compared by its fields like a record;
 * its message may be put into words only when first asked for (see {@link #withMessageWhenAsked}).
 */
public final class TaskEvent {

  private final Kind kind;
  private final TaskId id;
  private final Task task;
  private final int attempt;
  private final Instant at;
  private final Duration elapsed;
  private final Throwable error;
  private final RemoteRunDetails remote;
  // Null until first asked for when {@code words} makes it; any thread may make it, to the same words.
  private volatile String message;
  private final Supplier<String> words;

  /**
   * An event.
   *
   * @param kind what happened
   * @param id the task
   * @param task the task itself
   * @param attempt the attempt it happened on, 0 when the task did not run
   * @param at when it happened
   * @param elapsed how long the attempt ran, zero for events before or without a run
   * @param message the reason of a failure, retry or skip, why the task runs for the first start
   *     of a task; empty otherwise
   * @param error the error of a failure or retry, or null
   * @param remote for a note of a remote run, where that run stands; null otherwise
   */
  public TaskEvent(Kind kind, TaskId id, Task task, int attempt, Instant at, Duration elapsed, String message,
      Throwable error, RemoteRunDetails remote) {
    this(kind, id, task, attempt, at, elapsed, Objects.requireNonNull(message, "message"), null, error, remote);
  }

  /** An event that is not about a remote run. */
  public TaskEvent(Kind kind, TaskId id, Task task, int attempt, Instant at, Duration elapsed, String message,
      Throwable error) {
    this(kind, id, task, attempt, at, elapsed, message, error, null);
  }

  private TaskEvent(Kind kind, TaskId id, Task task, int attempt, Instant at, Duration elapsed, String message,
      Supplier<String> words, Throwable error, RemoteRunDetails remote) {
    this.kind = kind;
    this.id = id;
    this.task = task;
    this.attempt = attempt;
    this.at = at;
    this.elapsed = elapsed;
    this.message = message;
    this.words = words;
    this.error = error;
    this.remote = remote;
  }

  /**
   * An event whose message is put into words by {@code message} when a listener first asks for
   * it: why a task runs is a path and a sentence per task, which most listeners never read.
   * {@code message} is called at most once per event by each thread that asks before another's
   * words are seen, and must give the same words each time.
   */
  public static TaskEvent withMessageWhenAsked(Kind kind, TaskId id, Task task, int attempt, Instant at,
      Duration elapsed, Supplier<String> message, Throwable error) {
    return new TaskEvent(kind, id, task, attempt, at, elapsed, null, Objects.requireNonNull(message, "message"),
        error, null);
  }

  /** What happened. */
  public Kind kind() {
    return kind;
  }

  /** The task. */
  public TaskId id() {
    return id;
  }

  /** The task itself. */
  public Task task() {
    return task;
  }

  /** The attempt it happened on, 0 when the task did not run. */
  public int attempt() {
    return attempt;
  }

  /** When it happened. */
  public Instant at() {
    return at;
  }

  /** How long the attempt ran, zero for events before or without a run. */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * The reason of a failure, retry or skip, or why the task runs for its first start; empty
   * otherwise. Never null: words that cannot be made say so.
   */
  public String message() {
    String text = message;
    if (text == null) {
      try {
        text = Objects.requireNonNullElse(words.get(), "");
      } catch (RuntimeException e) {
        text = "(the reason could not be put into words: " + e + ")";
      }
      message = text;
    }
    return text;
  }

  /** The error of a failure or retry, or null. */
  public Throwable error() {
    return error;
  }

  /** For a note of a remote run, where that run stands; null otherwise. */
  public RemoteRunDetails remote() {
    return remote;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TaskEvent that && kind == that.kind && Objects.equals(id, that.id)
        && Objects.equals(task, that.task) && attempt == that.attempt && Objects.equals(at, that.at)
        && Objects.equals(elapsed, that.elapsed) && message().equals(that.message())
        && Objects.equals(error, that.error) && Objects.equals(remote, that.remote);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, id, task, attempt, at, elapsed, message(), error, remote);
  }

  @Override
  public String toString() {
    return "TaskEvent[kind=" + kind + ", id=" + id + ", task=" + task + ", attempt=" + attempt + ", at=" + at
        + ", elapsed=" + elapsed + ", message=" + message() + ", error=" + error + ", remote=" + remote + "]";
  }

  /** The kinds of events. */
  public enum Kind {
    /** An attempt started; the first start's message says why the task runs. */
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
