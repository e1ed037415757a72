package io.sluice.remote.spi;

/**
 * What a backend knows of a run at one poll.
 *
 * @param status where it stands
 * @param exitCode the command's exit code once known, else null
 * @param reason the backend's words for a failure or a wait (a Slurm state and reason), or empty
 */
public record RunState(RunStatus status, Integer exitCode, String reason) {

  public RunState {
    reason = reason == null ? "" : reason;
  }

  public static RunState of(RunStatus status) {
    return new RunState(status, null, "");
  }

  @Override
  public String toString() {
    return status.name().toLowerCase() + (exitCode == null ? "" : " (exit code " + exitCode + ")")
        + (reason.isEmpty() ? "" : ": " + reason);
  }
}
