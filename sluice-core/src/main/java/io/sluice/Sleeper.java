package io.sluice;

import java.time.Duration;

/** Waits between retries; injected so that tests of backoff are exact and do not sleep. */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps for {@code duration}, or less when interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing. */
  static Sleeper system() {
    return duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
  }
}
