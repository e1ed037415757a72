package io.sluice.history;

import io.sluice.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/** A clock that only moves when its sleeper sleeps, and a hook to run on each sleep. */
final class FakeTime extends Clock implements Sleeper {

  private volatile Instant now = Instant.parse("2026-11-30T12:00:00Z");
  private final AtomicInteger sleeps = new AtomicInteger();
  private volatile Runnable onSleep = () -> {};

  void onSleep(Runnable action) {
    this.onSleep = action;
  }

  /** Moves the clock on without a sleep. */
  void advance(Duration duration) {
    now = now.plus(duration);
  }

  int sleeps() {
    return sleeps.get();
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.incrementAndGet();
    now = now.plus(duration);
    onSleep.run();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** A monotonic clock moving with this one, in nanoseconds. */
  long nanos() {
    return now.toEpochMilli() * 1_000_000L;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
