package io.sluice.server;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that starts at a given instant and runs {@code speed} times faster than real time. */
final class FastClock extends Clock {

  private final Instant start;
  private final long speed;
  private final long startNanos = System.nanoTime();

  FastClock(Instant start, long speed) {
    this.start = start;
    this.speed = speed;
  }

  @Override
  public Instant instant() {
    return start.plusNanos((System.nanoTime() - startNanos) * speed);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("A fast clock is in UTC");
  }
}
