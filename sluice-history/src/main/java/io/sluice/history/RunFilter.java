package io.sluice.history;

import java.time.Instant;
import java.util.Locale;

/**
 * Which runs to list: every field is optional (null keeps all).
 *
 * @param task a part of the root task, any case ({@code Score} finds {@code ScoreReport()})
 * @param outcome {@link Outcome#RUNNING}, {@link Outcome#SUCCEEDED}, {@link Outcome#FAILED} or {@link Outcome#LOST}
 * @param host the host, exactly
 * @param from runs started at or after this
 * @param to runs started before this
 */
public record RunFilter(String task, Outcome outcome, String host, Instant from, Instant to) {

  /** Every run. */
  public static final RunFilter ALL = new RunFilter(null, null, null, null, null);

  /** How a run stands: not ended yet, ended with exit code 0, ended otherwise, or never ended as its process died. */
  public enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    LOST;

    /**
     * {@code running}, {@code succeeded}, {@code failed} or {@code lost}, any case.
     *
     * @throws IllegalArgumentException naming the value and the ones allowed
     */
    public static Outcome parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Run status '" + text + "' is not one of running, succeeded, failed, lost");
      }
    }
  }
}
