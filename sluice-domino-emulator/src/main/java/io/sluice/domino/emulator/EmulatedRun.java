package io.sluice.domino.emulator;

import java.time.Instant;
import java.util.List;

/**
 * What the emulator knows of one run at a moment: the same facts its API gives, for tests.
 * {@code status} is Domino's name ("Queued", "Running", "Succeeded", "Failed", "Error",
 * "Stopped", ...); {@code outputCommitId}, {@code exitCode}, {@code started} and
 * {@code completed} are null until known.
 */
public record EmulatedRun(
    String id,
    String title,
    List<String> command,
    String status,
    String tier,
    String commitId,
    String outputCommitId,
    Integer exitCode,
    Instant queued,
    Instant started,
    Instant completed) {

  public EmulatedRun {
    command = List.copyOf(command);
  }

  /** Finished as Domino says it: the output commit is set. */
  public boolean isCompleted() {
    return outputCommitId != null;
  }
}
