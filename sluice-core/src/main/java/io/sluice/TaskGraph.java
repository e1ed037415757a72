package io.sluice;

import java.util.List;
import java.util.Optional;

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

  /**
   * The task's id as the graph knows it; for a task whose {@code id()} (or a parameter's
   * hashCode/equals) threw, a stand-in such as {@code Train(unidentified=3)}.
   */
  TaskId id(Task task);

  /**
   * What the task threw while the graph was built (its {@code id()}, {@code complete()} or
   * {@code requires()}), if anything: such a task fails when run, and so does its run.
   */
  Optional<String> error(Task task);

  /**
   * Why the task would run, in words for the user ({@code output data/x.csv missing},
   * {@code parameter trees 100 -> 200}, {@code upstream CleanData() will run}); empty when it
   * is up to date.
   */
  List<String> why(Task task);

  /** The incomplete tasks the run would execute, dependencies first. */
  List<Task> toRun();
}
