package io.sluice.domino.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The faults the emulator injects on request, to test a client against a Domino that misbehaves:
 * bursts of error statuses, 409 conflicts, slow responses, runs missing from the list, runs that
 * end in Error. Each call adds to what is already set; {@link #clear()} removes all. Faults apply
 * to the API ({@code /v1/...}, {@code /v4/...}), never to the emulator's own {@code /_emulator/...}.
 * Durations are measured on the emulator's clock. Thread-safe.
 */
public final class Faults {

  private final Clock clock;
  private int burstStatus;
  private long burstUntil;
  private int countedStatus;
  private int countedLeft;
  private int conflictsLeft;
  private Duration delay = Duration.ZERO;
  private long delayUntil;
  private final Map<String, Long> hiddenUntil = new HashMap<>();
  private final ArrayDeque<Status> runEndings = new ArrayDeque<>();

  Faults(Clock clock) {
    this.clock = clock;
  }

  /** Every API request answers {@code status} (e.g. 502, 503) for the next {@code during}. */
  public synchronized Faults failRequests(int status, Duration during) {
    burstStatus = requireErrorStatus(status);
    burstUntil = clock.millis() + requirePositive(during, "during").toMillis();
    return this;
  }

  /** The next {@code count} API requests answer {@code status}. */
  public synchronized Faults failNextRequests(int status, int count) {
    countedStatus = requireErrorStatus(status);
    countedLeft = requireCount(count);
    return this;
  }

  /** Every API response waits {@code delay} before it is sent, for the next {@code during}. */
  public synchronized Faults delayResponses(Duration delay, Duration during) {
    this.delay = requirePositive(delay, "delay");
    delayUntil = clock.millis() + requirePositive(during, "during").toMillis();
    return this;
  }

  /** The run is absent from {@code GET .../runs} for the next {@code during}; asked for by id it is there. */
  public synchronized Faults hideRunFromList(String runId, Duration during) {
    Objects.requireNonNull(runId, "runId");
    hiddenUntil.put(runId, clock.millis() + requirePositive(during, "during").toMillis());
    return this;
  }

  /**
   * The next run started ends in {@code finalStatus} ("Error" for a system error, or "Failed",
   * "Stopped", "Succeeded") whatever its command does; calls queue up, one per run.
   */
  public synchronized Faults nextRunEndsIn(String finalStatus) {
    runEndings.addLast(Status.finalNamed(finalStatus).orElseThrow(() -> new IllegalArgumentException(
        "Unknown final status '" + finalStatus + "': use Succeeded, Failed, Error or Stopped")));
    return this;
  }

  /** The next {@code count} API requests (after the key check) answer 409 Conflict. */
  public synchronized Faults rejectNextWithConflict(int count) {
    conflictsLeft = requireCount(count);
    return this;
  }

  /** Removes every fault. */
  public synchronized Faults clear() {
    burstUntil = 0;
    countedLeft = 0;
    conflictsLeft = 0;
    delayUntil = 0;
    hiddenUntil.clear();
    runEndings.clear();
    return this;
  }

  /** How long the current request waits before it is answered. */
  synchronized Duration currentDelay() {
    return clock.millis() < delayUntil ? delay : Duration.ZERO;
  }

  /** The error status the current request answers, if a burst or a count says so (a count is used up). */
  synchronized OptionalInt takeFailure() {
    if (clock.millis() < burstUntil) {
      return OptionalInt.of(burstStatus);
    }
    if (countedLeft > 0) {
      countedLeft--;
      return OptionalInt.of(countedStatus);
    }
    return OptionalInt.empty();
  }

  synchronized boolean takeConflict() {
    if (conflictsLeft > 0) {
      conflictsLeft--;
      return true;
    }
    return false;
  }

  synchronized boolean hidden(String runId) {
    Long until = hiddenUntil.get(runId);
    return until != null && clock.millis() < until;
  }

  synchronized Optional<Status> takeRunEnding() {
    return Optional.ofNullable(runEndings.pollFirst());
  }

  private static int requireErrorStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("Fault status " + status + " is not an HTTP error: use 400-599 (e.g. 502, 503)");
    }
    return status;
  }

  private static int requireCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("Fault count " + count + " must be at least 1");
    }
    return count;
  }

  private static Duration requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("Fault " + name + " " + duration + " must be positive");
    }
    return duration;
  }
}
