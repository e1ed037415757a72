package io.sluice;

import io.sluice.internal.ProgramRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A task that runs a program in any language: an R or Python script, a binary. Its stdout and
 * stderr go to the task's log file; a non-zero exit fails the task with the last lines of
 * stderr in the message. Pass {@link LocalTarget#writePath()} to the program so that its
 * output is renamed into place only on success.
 *
 * <p>The program also finds its paths in the environment: {@code SLUICE_OUTPUT} (the temporary
 * path of the first output), {@code SLUICE_OUTPUTS} and {@code SLUICE_INPUTS} (one per line).
 */
public interface ProgramTask extends Task {

  /** The program and its arguments. */
  List<String> command(TaskContext context) throws Exception;

  /** Extra environment variables for the program. */
  default Map<String, String> environment() {
    return Map.of();
  }

  /** The program's working directory; null for the current one. */
  default Path workingDirectory() {
    return null;
  }

  @Override
  default void run(TaskContext context) throws Exception {
    ProgramRunner.run(this, context);
  }
}
