package io.sluice.history;

import java.util.Objects;

/**
 * Who holds a task's lease: a run of {@code sluice run}, on a host, in a process.
 *
 * @param runId the run's id (as recorded in the history)
 * @param host the host name
 * @param pid the process id
 */
public record LeaseHolder(String runId, String host, long pid) {

  public LeaseHolder {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(host, "host");
  }

  @Override
  public String toString() {
    return "run " + runId + " on " + host + " (pid " + pid + ")";
  }
}
