package io.sluice;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * How a failed task is tried again: how many attempts, the exponential backoff between them
 * (with jitter, so that many failing tasks do not retry in step), and which errors retry.
 *
 * @param maxAttempts attempts in all, the first included; 1 means no retry
 * @param initialDelay wait before the second attempt
 * @param maxDelay the backoff never waits longer than this
 * @param multiplier each wait is this many times the one before
 * @param jitter fraction of each wait added or removed at random, 0 to 1
 * @param retryOn error types that retry; empty means every error
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialDelay,
    Duration maxDelay,
    double multiplier,
    double jitter,
    List<Class<? extends Throwable>> retryOn) {

  private static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0, List.of());

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts is " + maxAttempts + "; it must be 1 or more");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter is " + jitter + "; it must be between 0 and 1");
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier is " + multiplier + "; it must be 1 or more");
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    retryOn = List.copyOf(retryOn);
  }

  /** Fail on the first error. */
  public static RetryPolicy none() {
    return NONE;
  }

  /** A builder starting from three attempts, 1 s doubling up to 1 min, 20% jitter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the given failure of the given attempt (1-based) is tried again. */
  public boolean retries(Throwable error, int attempt) {
    if (attempt >= maxAttempts) {
      return false;
    }
    if (retryOn.isEmpty()) {
      return true;
    }
    for (Class<? extends Throwable> type : retryOn) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }

  /** The wait after the given failed attempt (1-based), jitter drawn from {@code random}. */
  public Duration delayAfter(int attempt, Random random) {
    double base = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
    base = Math.min(base, maxDelay.toNanos());
    double spread = base * jitter * (2 * random.nextDouble() - 1);
    return Duration.ofNanos(Math.max(0, Math.round(base + spread)));
  }

  /** Builds a {@link RetryPolicy}. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(1);
    private double multiplier = 2.0;
    private double jitter = 0.2;
    private List<Class<? extends Throwable>> retryOn = List.of();

    private Builder() {}

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder backoff(Duration initialDelay, Duration maxDelay) {
      this.initialDelay = initialDelay;
      this.maxDelay = maxDelay;
      return this;
    }

    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      this.retryOn = List.of(types);
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, retryOn);
    }
  }
}
