package io.sluice.internal;

import io.sluice.Task;
import java.util.List;

/**
 * What the engine concluded about one task on its own, before looking upstream.
 *
 * @param upToDate whether the task itself is up to date
 * @param reasons why it is not (empty when it is), put into words only when asked
 * @param followsUpstream whether it is also out of date when something it requires will run, so
 *     that what it requires must be checked even when it is up to date itself
 * @param requires what it requires, when the check needed to ask; null otherwise
 */
record Verdict(boolean upToDate, Reasons reasons, boolean followsUpstream, List<? extends Task> requires) {

  static Verdict of(List<String> reasons, boolean followsUpstream, List<? extends Task> requires) {
    return of(Reasons.of(reasons), followsUpstream, requires);
  }

  static Verdict of(Reasons reasons, boolean followsUpstream, List<? extends Task> requires) {
    return new Verdict(reasons.isEmpty(), reasons, followsUpstream, requires);
  }
}
