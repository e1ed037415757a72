package io.sluice.history;

import java.time.Duration;
import java.time.Instant;

/**
 * A recorded run.
 *
 * @param info what was known when it started
 * @param endedAt when it ended, or null when it is running or its process died
 * @param exitCode its exit code, or null when it has not ended
 */
public record RunRecord(RunInfo info, Instant endedAt, Integer exitCode) {

  /** From start to end, or null when it has not ended. */
  public Duration duration() {
    return endedAt == null ? null : Duration.between(info.startedAt(), endedAt);
  }
}
