package io.sluice.history;

import java.time.Instant;
import java.util.Objects;

/**
 * One time a server's schedule was due or started by hand, and what came of it: the {@code sluice run}
 * process it started and the id of its run, or why none was.
 *
 * @param schedule the schedule's name in {@code sluice.toml}
 * @param dueAt the cron time it was for (the time of the click for a run started by hand)
 * @param firedAt when the process was started or the fire was decided
 * @param reason {@code cron}, {@code catch-up} or {@code manual}
 * @param outcome {@code started}, {@code skipped} (a run of it was still going), {@code queued} or {@code failed}
 * @param host the machine of the server
 * @param pid the process started, or null when none was
 * @param runId the id the process was given for its run ({@link RunIds#VARIABLE}), or null when none was started
 * @param logFile the process's output, or null
 * @param message why it was skipped or failed to start, or null
 */
public record ScheduleFire(String schedule, Instant dueAt, Instant firedAt, String reason, String outcome, String host,
    Long pid, String runId, String logFile, String message) {

  public ScheduleFire {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(firedAt, "firedAt");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(host, "host");
  }
}
