package io.sluice;

/**
 * Receives task events as a run goes. Called from the engine's threads, one event at a time and
 * in the order things happened, never while the engine holds its lock: implementations must be
 * quick and must not block. Whatever a listener throws is logged (once) and does not affect the
 * run.
 */
public interface TaskListener {

  /** The graph is built: {@code total} tasks, of which {@code toRun} are not complete. */
  default void graphBuilt(int total, int toRun) {}

  /**
   * The graph is built, right after {@link #graphBuilt(int, int)} and before any task runs: for a
   * listener that needs what will run and in what order (an ETA) or the run's shape (the history,
   * for the server's graph page). Read what you need during the call: the graph is not for keeping
   * while the run changes it.
   */
  default void graphBuilt(TaskGraph graph) {}

  /** A task event. */
  default void onEvent(TaskEvent event) {}

  /** The run is over. */
  default void runFinished(RunResult result) {}
}
