package io.sluice.history.internal;

import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import io.sluice.history.RunInfo;
import java.time.Instant;
import java.util.Map;

/** What the recorder hands its writer thread, in the order it happened. */
public sealed interface Entry {

  /** The run began. */
  record RunStarted(RunInfo run) implements Entry {}

  /** The run's graph is built: its shape by family. */
  record GraphBuilt(io.sluice.history.RunGraph graph) implements Entry {}

  /** Something happened to a task. */
  record Event(TaskEvent event) implements Entry {}

  /** The engine's final word on every task of the graph. */
  record FinalStatuses(Map<TaskId, TaskStatus> statuses) implements Entry {}

  /** What the run holds against its limits changed: now this JSON (see {@link ResourceUse}). */
  record ResourcesHeld(String json) implements Entry {}

  /** The run ended, with this exit code (null when unknown). */
  record RunEnded(Instant at, Integer exitCode) implements Entry {}
}
