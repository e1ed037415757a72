package io.sluice.domino;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall time at its creation, moved on by {@link System#nanoTime()}: the backend measures only
 * spans (poll cadence, retry windows, the grace of a run just submitted), and a wall clock that
 * the system steps back or forth would stretch or cut them.
 */
final class MonotonicClock extends Clock {

  private final Instant origin;
  private final long originNanos;

  private MonotonicClock(Instant origin, long originNanos) {
    this.origin = origin;
    this.originNanos = originNanos;
  }

  static MonotonicClock startingNow() {
    return new MonotonicClock(Instant.now(), System.nanoTime());
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
