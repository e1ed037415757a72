package io.sluice.domino;

import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.util.Set;

/**
 * Domino's status words as Sluice's run states. A run is over only once Domino set its output
 * commit; then only Succeeded is a success: Failed is the command's exit code, Error a failure
 * of Domino itself, Stopped a stop request.
 */
final class DominoStatuses {

  private static final Set<String> WAITING = Set.of("Queued", "Scheduled", "Preparing", "Building", "Pulling");

  private DominoStatuses() {}

  static RunState state(DominoRun run) {
    String status = run.status() == null ? "unknown" : run.status();
    if (!run.finished()) {
      if (WAITING.contains(status)) {
        return new RunState(RunStatus.QUEUED, null, "Domino status " + status);
      }
      return new RunState(RunStatus.RUNNING, null, "Domino status " + status);
    }
    return switch (status) {
      case "Succeeded" -> new RunState(RunStatus.SUCCEEDED, run.exitCode() == null ? 0 : run.exitCode(), "");
      case "Failed" -> new RunState(RunStatus.FAILED, run.exitCode(), "Domino status Failed (the command failed)");
      case "Error" -> new RunState(RunStatus.FAILED, run.exitCode(),
          "Domino status Error (Domino could not run the command: a system error, not the command's)");
      case "Stopped" -> new RunState(RunStatus.CANCELLED, run.exitCode(), "Domino status Stopped (stopped on request)");
      default -> new RunState(RunStatus.FAILED, run.exitCode(), "Domino status " + status
          + " with an output commit: not a success");
    };
  }
}
