package io.sluice.domino;

import java.time.Duration;
import java.time.Instant;

/**
 * When the next listing of the project's runs is due: {@link #FLOOR} after a submission or an
 * observed status change, then a quarter of the time the runs have been still, up to the
 * configured interval. So a run that ends is seen within a quarter of the time since its last
 * change (at most one interval), and runs that go on for long are listed once per interval. Not
 * thread-safe: its owner calls it under its own lock, with its clock's instants.
 */
final class PollCadence {

  /** The shortest gap between two listings: after a submission or a change. */
  static final Duration FLOOR = Duration.ofMillis(25);

  /** The gap is the time the runs have been still divided by this. */
  static final int STILLNESS_DIVISOR = 4;

  private final Duration floor;
  private final Duration interval;
  /** The last submission, re-attachment or observed change; null before any. */
  private Instant lastActivity;
  /** When the next listing is due; null when none is planned (then at once). */
  private Instant next;

  /** A cadence that grows to {@code interval}; an interval under {@link #FLOOR} is used as it is. */
  PollCadence(Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("poll interval " + interval + " is negative");
    }
    this.interval = interval;
    this.floor = interval.compareTo(FLOOR) < 0 ? interval : FLOOR;
  }

  /**
   * A run was submitted or re-attached, or a listing showed a run's status change: the next
   * listing comes {@link #FLOOR} from now, or sooner if it was planned sooner.
   */
  void activity(Instant now) {
    lastActivity = now;
    Instant soon = now.plus(floor);
    if (next == null || soon.isBefore(next)) {
      next = soon;
    }
  }

  /**
   * The runs were listed at {@code now} (or a listing was tried and failed: it is tried again
   * at the cadence's pace, not at once); call {@link #activity} after it when it showed a change.
   */
  void listed(Instant now) {
    Duration still = lastActivity == null ? interval.multipliedBy(STILLNESS_DIVISOR)
        : Duration.between(lastActivity, now);
    next = now.plus(gap(still.isNegative() ? Duration.ZERO : still));
  }

  /** Whether a listing is due at {@code now}. */
  boolean due(Instant now) {
    return next == null || !now.isBefore(next);
  }

  /** When the next listing is due; null when it is due at once. */
  Instant next() {
    return next;
  }

  /** The gap after a listing that found the runs still for {@code still}: a quarter of it, within floor and interval. */
  Duration gap(Duration still) {
    Duration proportional = still.dividedBy(STILLNESS_DIVISOR);
    if (proportional.compareTo(floor) < 0) {
      return floor;
    }
    return proportional.compareTo(interval) > 0 ? interval : proportional;
  }
}
