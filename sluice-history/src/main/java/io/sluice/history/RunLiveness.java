package io.sluice.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells a run whose process died (kill -9, power loss: it never recorded its end) from one still
 * going. A run is lost when its writer has not stamped its heartbeat for {@link #LOST_AFTER}, or at
 * once when it ran on this host and its process is gone (or the pid is now another, later process).
 */
public final class RunLiveness {

  /** How often a run's writer stamps its heartbeat. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);

  /**
   * How long without a heartbeat makes a run lost: six missed beats, so that a writer waiting
   * for a busy database a while is not taken for dead.
   */
  public static final Duration LOST_AFTER = Duration.ofSeconds(60);

  private final Clock clock;
  private final String localHost;

  public RunLiveness(Clock clock, String localHost) {
    this.clock = clock;
    this.localHost = localHost;
  }

  /** Judged by this machine's clock and name. */
  public static RunLiveness here() {
    return new RunLiveness(Clock.systemUTC(), LocalHost.name());
  }

  /** The oldest heartbeat a live run may have now: runs not ended and not stamped since are lost. */
  public Instant cutoff() {
    return clock.instant().minus(LOST_AFTER);
  }

  /**
   * Whether a run that has no end is lost.
   *
   * @param heartbeat its last heartbeat, or null for a run of an older schema (its start stands for it)
   */
  public boolean lost(RunInfo run, Instant heartbeat) {
    Instant last = heartbeat != null ? heartbeat : run.startedAt();
    if (last.isBefore(cutoff())) {
      return true;
    }
    return run.host().equals(localHost) && !alive(run.pid(), run.startedAt());
  }

  /** Whether the process of that pid exists and is not one started after the run (a reused pid). */
  private static boolean alive(long pid, Instant runStart) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    // Start times are read to the clock tick: a second of slack keeps the run's own process alive.
    Optional<Instant> started = process.get().info().startInstant();
    return started.isEmpty() || !started.get().isAfter(runStart.plusSeconds(1));
  }
}
