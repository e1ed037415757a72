package io.sluice.domino;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Waits between retries of one request: doubling from {@code first} up to {@code max}, each
 * wait drawn between half and all of that (jitter, so that many drivers do not retry in step).
 *
 * @param first the largest first wait
 * @param max the largest wait
 */
record Backoff(Duration first, Duration max) {

  static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15));

  Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff: first wait " + first + " must be positive and at most max " + max);
    }
  }

  /** The wait before retry number {@code attempt} (0 for the first retry). */
  Duration delay(int attempt, RandomGenerator random) {
    long ceiling = first.toMillis() << Math.min(attempt, 20);
    long capped = Math.min(ceiling, max.toMillis());
    return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
  }
}
