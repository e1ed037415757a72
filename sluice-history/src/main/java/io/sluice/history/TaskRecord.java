package io.sluice.history;

import java.time.Duration;
import java.time.Instant;

/**
 * A task as one run recorded it.
 *
 * @param runId the run
 * @param family the task's family
 * @param name the task id, such as {@code FitModel(alpha=0.5)}
 * @param params its significant parameters, as JSON
 * @param status its final status in the run ({@link io.sluice.TaskStatus} name), or {@code RUNNING}
 *     while the run goes on or when its process died
 * @param attempts how many attempts ran
 * @param startedAt when its first attempt started, or null when it did not run
 * @param endedAt when it ended, or null
 * @param duration from first start to end, or null
 * @param error the failure's message, or null
 * @param stackTrace the failure's stack trace, or null
 * @param logFile its log file, or null when it did not run
 * @param outputs its outputs, one per line
 * @param remote its remote run, or null when it was not one
 */
public record TaskRecord(
    String runId,
    String family,
    String name,
    String params,
    String status,
    int attempts,
    Instant startedAt,
    Instant endedAt,
    Duration duration,
    String error,
    String stackTrace,
    String logFile,
    String outputs,
    Remote remote) {

  /**
   * A remote run's details, as its task's notes told them.
   *
   * @param backend the backend's name
   * @param runId the remote run's id
   * @param tier the hardware tier
   * @param commit the snapshot's commit
   * @param queued from submission to running, or null when not seen
   * @param ran from running to its end, or null when not seen
   */
  public record Remote(String backend, String runId, String tier, String commit, Duration queued, Duration ran) {}
}
