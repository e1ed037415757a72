package io.sluice.server.schedule;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@code [schedules.NAME]} of {@code sluice.toml}: when (a cron expression in a time zone) the server
 * starts {@code sluice run TASK ARGS...}, what it does when the last run is still going, and whether it
 * makes up for a run missed while it was down.
 *
 * @param name the table's name, {@code nightly} in {@code [schedules.nightly]}
 * @param cron five Unix cron fields, {@code "0 3 * * *"}
 * @param task the task to run
 * @param args the arguments after the task, {@code ["--workers", "3"]}
 * @param zone the time zone the cron fields are read in
 * @param overlap what a due time does while a run of this schedule is still going
 * @param catchUp what a server that starts does about due times it missed
 */
public record Schedule(String name, String cron, String task, List<String> args, ZoneId zone, Overlap overlap,
    CatchUp catchUp) {

  public Schedule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(task, "task");
    args = List.copyOf(args);
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(overlap, "overlap");
    Objects.requireNonNull(catchUp, "catchUp");
  }

  /** What a due time does while a run of the same schedule is still going. */
  public enum Overlap {
    /** Nothing: the due time is recorded as skipped. */
    SKIP,
    /** The run starts when the one going ends. */
    QUEUE;

    /** As written in {@code sluice.toml}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a server that starts does about due times it missed while it was down. */
  public enum CatchUp {
    /** Nothing: the next due time is the next run. */
    NONE,
    /** The last missed due time is run at once (one run, however many were missed). */
    LAST;

    /** As written in {@code sluice.toml}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
