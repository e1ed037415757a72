package io.sluice.history;

import java.time.Instant;
import java.util.Locale;

/**
 * Which runs to list: every field is optional (null keeps all).
 *
 * @param task a part of the root task, any case ({@code Score} finds {@code ScoreReport()})
 * @param outcome {@link Outcome#RUNNING}, {@link Outcome#SUCCEEDED} or {@link Outcome#FAILED}
 * @param host the host, exactly
 * @param from runs started at or after this
 * @param to runs started before this
 */
public record RunFilter(String task, Outcome outcome, String host, Instant from, Instant to) {

  /** Every run. */
  public static final RunFilter ALL = new RunFilter(null, null, null, null, null);

  /** How a run stands: not ended yet, ended with exit code 0, or ended otherwise. */
  public enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED;

    /**
     * {@code running}, {@code succeeded} or {@code failed}, any case.
     *
     * @throws IllegalArgumentException naming the value and the ones allowed
     */
    public static Outcome parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Run status '" + text + "' is not one of running, succeeded, failed");
      }
    }
  }
}
