package io.sluice;

import java.util.List;

/**
 * The graph of a run: the tasks reachable from the roots through what they require. Complete
 * tasks are not expanded unless the graph was built to show everything.
 */
public interface TaskGraph {

  /** The tasks the graph was built from. */
  List<Task> roots();

  /** Every task in the graph, in the order it was met. */
  List<Task> tasks();

  /** What a task requires, as far as the graph expanded it. */
  List<Task> requires(Task task);

  /** Whether the task was complete when the graph was built. */
  boolean complete(Task task);

  /** The incomplete tasks the run would execute, dependencies first. */
  List<Task> toRun();
}
