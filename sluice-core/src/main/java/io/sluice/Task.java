package io.sluice;

import io.sluice.internal.Completeness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A unit of work that produces targets from the outputs of the tasks it requires.
 *
 * <p>Write tasks as records: the record components are the task's parameters and record
 * equality is task identity, so a task required twice is scheduled once. A task is done when
 * every output exists (or as its {@link UpToDate} policy says), and {@link #run} is called only
 * for tasks that are not done.
 */
public interface Task {

  /** The tasks whose outputs this task reads; they run first. */
  default List<? extends Task> requires() {
    return List.of();
  }

  /** The single output of a task with one; override {@link #outputs()} for several. */
  default Target output() {
    return null;
  }

  /** Every target this task writes. Defaults to {@link #output()} when there is one. */
  default List<? extends Target> outputs() {
    Target single = output();
    return single == null ? List.of() : List.of(single);
  }

  /**
   * Whether this task is done. Defaults to "every output exists"; a task without outputs (a
   * wrapper) is complete when everything it requires is.
   */
  default boolean complete() {
    List<? extends Target> outputs = outputs();
    if (outputs.isEmpty()) {
      return Completeness.ofRequirements(this);
    }
    for (Target target : outputs) {
      if (!target.exists()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Produces the outputs. Every {@link LocalTarget} written here goes to a temporary file that
   * is renamed into place only when this method returns normally.
   */
  default void run(TaskContext context) throws Exception {
    if (!outputs().isEmpty()) {
      throw new UnsupportedOperationException(
          getClass().getSimpleName() + " declares outputs but does not override run()");
    }
  }

  /** Named amounts this task holds while it runs, such as {@code gpu=1}. */
  default Resources resources() {
    return Resources.none();
  }

  /** Among ready tasks, higher priorities start first. */
  default int priority() {
    return 0;
  }

  /** How often and when a failed run is tried again. */
  default RetryPolicy retryPolicy() {
    return RetryPolicy.none();
  }

  /** How long one attempt may take before it is interrupted and fails. */
  default Optional<Duration> timeout() {
    return Optional.empty();
  }

  /**
   * Checks, before any task of the run starts, what would make this task fail for sure (its
   * configuration, the state of the project), and throws {@link SchedulingException} saying
   * what to fix: the run then stops with exit code 2 and nothing runs. Called once for every
   * task the run is going to execute; nothing by default.
   */
  default void checkBeforeRun(RunScope run) {}

  /**
   * How the engine judges this task up to date once its outputs exist; empty (the default) for
   * the project's choice, {@code [core] up_to_date} in sluice.toml, else {@link UpToDate#EXISTS}.
   */
  default Optional<UpToDate> upToDate() {
    return Optional.empty();
  }

  /**
   * Files this task's results depend on besides its class, such as the script a program runs:
   * under {@link UpToDate#FINGERPRINT} the task is out of date when one of them changes. Relative
   * paths are relative to the working directory.
   */
  default List<Path> codeFiles() {
    return List.of();
  }

  /**
   * Versions of the code this task runs that it works out itself, by name (a remote run: the git
   * blob ids of the files its command names, at the commit it runs): under
   * {@link UpToDate#FINGERPRINT} a changed version reads {@code code changed (name)}. None by default.
   */
  default Map<String, String> codeVersions(Settings settings) {
    return Map.of();
  }

  /**
   * What else its outputs are built with, by name, besides its significant parameters, such as
   * the parameters a remote run passes on: under {@link UpToDate#FINGERPRINT} the task is out of
   * date when one of them changes. None by default.
   */
  default Map<String, String> builtWith() {
    return Map.of();
  }

  /** This task's identity: its family and significant parameters. */
  default TaskId id() {
    return TaskId.of(this);
  }

  /** The outputs of several tasks, in order; a convenience for {@code requires()} lists. */
  static List<Target> outputsOf(List<? extends Task> tasks) {
    List<Target> all = new ArrayList<>();
    for (Task task : tasks) {
      all.addAll(task.outputs());
    }
    return all;
  }
}
