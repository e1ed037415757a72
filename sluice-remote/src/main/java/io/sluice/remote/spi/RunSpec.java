package io.sluice.remote.spi;

import io.sluice.remote.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One remote run as a backend receives it: the command to run in a copy of the snapshot, on a
 * machine of the tier, and the one file to bring back.
 *
 * @param runId a name unique in the project, used for the run's directory and job name
 * @param taskName the task, for logs and job names
 * @param command the program and its arguments, run in the workspace (a copy of the snapshot)
 * @param tier the hardware tier
 * @param snapshot the project files at the commit, exported once per commit: read only; null when
 *     the commit is the backend's own ({@link RunBackend#ownCommit})
 * @param commit the snapshot's commit id
 * @param runtime classpath entries of the Sluice distribution for the remote side
 * @param environment extra environment variables for the command
 * @param timeout how long the command may run, or null for the tier's limit
 * @param workdir where the command starts, relative to the workspace (the caller's working
 *     directory relative to the project root; empty for the root)
 * @param output the file to bring back, relative to the working directory
 */
public record RunSpec(
    String runId,
    String taskName,
    List<String> command,
    Tier tier,
    Path snapshot,
    String commit,
    List<Path> runtime,
    Map<String, String> environment,
    Duration timeout,
    String workdir,
    String output) {

  public RunSpec {
    command = List.copyOf(command);
    runtime = List.copyOf(runtime);
    environment = Map.copyOf(environment);
  }

  /** Shows the environment's names, never its values: they may be secrets. */
  @Override
  public String toString() {
    return "RunSpec[runId=" + runId + ", taskName=" + taskName + ", command=" + command + ", tier=" + tier.name()
        + ", commit=" + commit + ", environment=" + new java.util.TreeSet<>(environment.keySet())
        + ", timeout=" + timeout + ", workdir=" + workdir + ", output=" + output + "]";
  }
}
