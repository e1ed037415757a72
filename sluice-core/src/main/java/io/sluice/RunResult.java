package io.sluice;

import io.sluice.internal.RunOutcomes;
import io.sluice.internal.SummaryFormatter;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a run: the final status of every task in the graph, the reason of each
 * failure, and the exit code.
 *
 * @param statuses final status per task, in the order tasks were met
 * @param reasons why a task failed, was skipped or is missing; for a task that ran (or would, in a
 *     dry run), why it was out of date ({@code output x missing; parameter trees 100 -> 200})
 * @param notes the last note of each task that gave one (see {@link TaskContext#note})
 * @param exitCode the process exit code this run deserves
 * @param schedulingError the error that stopped the run before it started, or null
 * @param elapsed wall time of the run
 */
public record RunResult(
    Map<TaskId, TaskStatus> statuses,
    Map<TaskId, String> reasons,
    Map<TaskId, String> notes,
    ExitCode exitCode,
    String schedulingError,
    Duration elapsed) {

  public RunResult {
    // The engine's maps are read-only views over its nodes: a copy would double a large run's peak.
    statuses = RunOutcomes.isView(statuses) ? statuses : Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
    reasons = RunOutcomes.isView(reasons) ? reasons : Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
  }

  /** A run that could not start. */
  public static RunResult schedulingError(String message) {
    return new RunResult(Map.of(), Map.of(), Map.of(), ExitCode.SCHEDULING_ERROR, message, Duration.ZERO);
  }

  /** The status of one task, or null when it was not in the graph. */
  public TaskStatus status(Task task) {
    return statuses.get(task.id());
  }

  /** How many tasks ended with the given status. */
  public long count(TaskStatus status) {
    return statuses.values().stream().filter(status::equals).count();
  }

  /** The execution summary: counts per status, grouped by family, reasons, and a verdict. */
  public String summary() {
    return SummaryFormatter.format(this);
  }

  /** One line: what happened. */
  public String verdict() {
    return SummaryFormatter.verdict(this);
  }
}
