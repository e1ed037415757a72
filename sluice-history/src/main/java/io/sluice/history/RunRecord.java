package io.sluice.history;

import java.time.Duration;
import java.time.Instant;

/**
 * A recorded run.
 *
 * @param info what was known when it started
 * @param endedAt when it ended, or null when it is running or its process died
 * @param exitCode its exit code, or null when it has not ended
 * @param heartbeatAt when its process last showed it was alive, or null when none was recorded
 * @param lost whether it did not end and its process is gone (see {@link RunLiveness})
 */
public record RunRecord(RunInfo info, Instant endedAt, Integer exitCode, Instant heartbeatAt, boolean lost) {

  /** A run as recorded, with no heartbeat and not known to be lost. */
  public RunRecord(RunInfo info, Instant endedAt, Integer exitCode) {
    this(info, endedAt, exitCode, null, false);
  }

  /** From start to end, or null when it has not ended. */
  public Duration duration() {
    return endedAt == null ? null : Duration.between(info.startedAt(), endedAt);
  }

  /** Neither ended nor lost: its process is still at it. */
  public boolean running() {
    return endedAt == null && !lost;
  }
}
