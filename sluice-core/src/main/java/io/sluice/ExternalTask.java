package io.sluice;

/**
 * Data made outside the pipeline. It never runs: when its output is missing it is reported as
 * missing external data, and the tasks that need it are not run.
 */
public interface ExternalTask extends Task {

  @Override
  default void run(TaskContext context) {
    throw new IllegalStateException("external task " + id() + " cannot run");
  }
}
