package io.sluice;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;

/** What a running task can see and ask of the engine. */
public interface TaskContext extends RunScope {

  /** The running task's id. */
  TaskId id();

  /** This attempt's number, 1 for the first. */
  int attempt();

  /** The outputs of the tasks this task requires, in the order of {@link Task#requires()}. */
  List<Target> inputs();

  /** The single output of the single required task; fails when there is not exactly one. */
  <T extends Target> T input();

  /** The single output of one required task. */
  <T extends Target> T input(Task required);

  /**
   * Requires more tasks while running (dynamic dependencies): waits until they are done and
   * returns their outputs. The code before this call is not run again. Throws when one of
   * them fails.
   */
  List<Target> require(List<? extends Task> tasks) throws InterruptedException;

  /** Dynamic dependency on one task with one output; see {@link #require(List)}. */
  default <T extends Target> T require(Task task) throws InterruptedException {
    @SuppressWarnings("unchecked")
    T output = (T) require(List.of(task)).get(0);
    return output;
  }

  /** The single output of the single required task of this type. */
  <T extends Target> T input(Class<? extends Task> requiredType);

  /** This task's log file, where a {@link ProgramTask}'s output goes. */
  Path logFile();

  /** A logger named after the task. */
  Logger log();

  /** The project's settings (sluice.toml and command-line overrides). */
  Settings settings();

  /**
   * Tells how the task is doing (a remote run's status, a progress note): shown live and kept,
   * the last one per task, for the execution summary.
   */
  void note(String message);

  /**
   * Tells how the task's remote run is doing: {@code message} for people, as {@link #note(String)},
   * and {@code remote} for listeners that record it (the history's backend, run id, queue and run times).
   */
  default void note(String message, RemoteRunDetails remote) {
    note(message);
  }

  /**
   * The outputs this attempt is writing: renamed into place together when {@code run()} returns
   * normally. Writes through {@link LocalTarget}s of declared outputs land here from any thread;
   * use this to write an output through a target that is not one of them.
   */
  OutputWrites outputWrites();

  /** True once the run is cancelled or this attempt timed out: stop as soon as possible. */
  boolean cancelled();
}
