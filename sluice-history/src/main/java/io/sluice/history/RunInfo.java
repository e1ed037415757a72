package io.sluice.history;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known of a run when it starts.
 *
 * @param id the run's id, unique across machines (see {@link RunIds})
 * @param rootTask the task named on the command line, with its parameters
 * @param commandLine the command as typed
 * @param user the operating system user
 * @param host the host name
 * @param pid the process id
 * @param cwd the working directory
 * @param gitCommit the commit of the working copy, or null outside git
 * @param startedBy terminal, cron or schedule
 * @param startedAt when it started
 */
public record RunInfo(
    String id,
    String rootTask,
    String commandLine,
    String user,
    String host,
    long pid,
    String cwd,
    String gitCommit,
    StartedBy startedBy,
    Instant startedAt) {

  public RunInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rootTask, "rootTask");
    Objects.requireNonNull(commandLine, "commandLine");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(startedBy, "startedBy");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
