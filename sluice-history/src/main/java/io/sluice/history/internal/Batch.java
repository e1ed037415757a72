package io.sluice.history.internal;

import io.sluice.LocalTarget;
import io.sluice.Target;
import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import io.sluice.history.RunGraph;
import io.sluice.history.RunInfo;
import io.sluice.internal.LogFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the writer has taken from the queue and not yet written: the run's start and end, the
 * tasks whose rows changed (their whole current state) and the events to add. Entries are
 * applied to the tasks' state once, when taken; a failed write is retried from the same batch.
 */
final class Batch {

  /** Longest message or stack trace kept: the history is for finding, the log file for reading. */
  static final int MAX_TEXT = 8000;

  /**
   * A row of {@code task_events}.
   */
  record EventRow(int task, String kind, long at, int attempt, String message) {}

  private final Map<TaskId, TaskState> tasks;
  /**
   * The log directory as the start of a log file's path: what {@code logDir.resolve(name)} gives,
   * without a path object and its text for each task (a log file's name has no separator).
   */
  private final String logDirPrefix;
  RunInfo started;
  RunGraph graph;
  Entry.RunEnded ended;
  /** What the run holds against its limits, as JSON, when it changed in this batch (the last word wins). */
  String resources;
  /** When to stamp the run's heartbeat, or null: not an entry, the writer adds it when one is due. */
  Long heartbeat;
  final Set<TaskState> changed = new LinkedHashSet<>();
  final List<EventRow> events = new ArrayList<>();
  int entries;

  /** A batch over the run's task table, which it updates. */
  Batch(Map<TaskId, TaskState> tasks, Path logDir) {
    this.tasks = tasks;
    String dir = logDir.toString();
    String separator = logDir.getFileSystem().getSeparator();
    this.logDirPrefix = dir.isEmpty() || dir.endsWith(separator) ? dir : dir + separator;
  }

  static Map<TaskId, TaskState> newTable() {
    return new HashMap<>();
  }

  boolean isEmpty() {
    return entries == 0;
  }

  void add(Entry entry) {
    entries++;
    if (entry instanceof Entry.Event event) {
      apply(event.event());
    } else if (entry instanceof Entry.RunStarted run) {
      started = run.run();
    } else if (entry instanceof Entry.GraphBuilt built) {
      graph = built.graph();
    } else if (entry instanceof Entry.RunEnded end) {
      ended = end;
    } else if (entry instanceof Entry.ResourcesHeld held) {
      resources = held.json();
    } else if (entry instanceof Entry.FinalStatuses statuses) {
      statuses.statuses().forEach(this::settle);
    }
  }

  private void apply(TaskEvent event) {
    TaskState task = task(event.id());
    long at = event.at().toEpochMilli();
    // A start's message is why the task runs, which no row keeps: not asked for, so never made.
    String message = event.kind() == TaskEvent.Kind.STARTED || event.message().isEmpty() ? null : cut(event.message());
    switch (event.kind()) {
      case STARTED -> {
        task.status = TaskStatus.RUNNING.name();
        task.attempts = Math.max(task.attempts, event.attempt());
        if (task.startedAt == null) {
          task.startedAt = at;
          task.logFile = logDirPrefix + LogFiles.name(event.id(), task.name);
          task.outputs = outputs(event.task());
        }
      }
      case SUCCEEDED -> {
        // An earlier attempt's error stays in its RETRYING event; the row tells the outcome.
        end(task, TaskStatus.DONE.name(), at);
        task.error = null;
        task.stackTrace = null;
      }
      case RETRYING -> {
        task.error = message;
        task.stackTrace = stackTrace(event.error());
      }
      case FAILED -> {
        end(task, TaskStatus.FAILED.name(), at);
        task.error = message;
        task.stackTrace = stackTrace(event.error());
      }
      case MISSING -> end(task, TaskStatus.MISSING.name(), at);
      case COMPLETE -> end(task, TaskStatus.COMPLETE.name(), at);
      case SKIPPED -> {
        end(task, "SKIPPED", at);
        task.error = message;
      }
      case NOTE -> {
        if (event.remote() != null) {
          RemoteRuns.apply(task, event.remote(), at);
        }
      }
      default -> { }
    }
    changed.add(task);
    // The first start, the end and its message are on the task's row: an event row is kept for
    // what the row does not tell (retries, later attempts, notes), which most tasks never have.
    boolean onTheRow = event.kind() != TaskEvent.Kind.RETRYING && event.kind() != TaskEvent.Kind.NOTE
        && !(event.kind() == TaskEvent.Kind.STARTED && event.attempt() > 1);
    if (!onTheRow) {
      events.add(new EventRow(task.number, event.kind().name(), at, event.attempt(), message));
    }
  }

  /** The engine's final status: the exact reason of a skip, or the end of what was pending. */
  private void settle(TaskId id, TaskStatus status) {
    TaskState task = task(id);
    if (!status.name().equals(task.status)) {
      task.status = status.name();
      changed.add(task);
    }
  }

  private static void end(TaskState task, String status, long at) {
    task.status = status;
    task.endedAt = at;
    RemoteRuns.ended(task, at);
  }

  private TaskState task(TaskId id) {
    return tasks.computeIfAbsent(id, key -> new TaskState(tasks.size() + 1, key.family(), key.toString(),
        Json.params(key)));
  }

  /** Where the task writes; a task whose {@code outputs()} throws has that said instead. */
  private static String outputs(Task task) {
    try {
      List<? extends Target> targets = task.outputs();
      if (targets.size() == 1) {
        String text = text(targets.get(0));  // most tasks: no builder to copy it through
        return text.isEmpty() ? null : cut(text);
      }
      StringBuilder text = new StringBuilder();
      for (Target target : targets) {
        text.append(text.length() == 0 ? "" : "\n").append(text(target));
      }
      return text.length() == 0 ? null : cut(text.toString());
    } catch (RuntimeException e) {
      return "(outputs() threw " + e.getClass().getName() + ")";
    }
  }

  private static String text(Target target) {
    return target instanceof LocalTarget local ? local.path().toString() : String.valueOf(target);
  }

  private static String stackTrace(Throwable error) {
    if (error == null) {
      return null;
    }
    StringWriter text = new StringWriter();
    try {
      error.printStackTrace(new PrintWriter(text));
    } catch (RuntimeException e) {
      return error.getClass().getName() + " (its stack trace cannot be printed)";
    }
    return cut(text.toString());
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "\n... (cut at " + MAX_TEXT + " characters)";
  }
}
