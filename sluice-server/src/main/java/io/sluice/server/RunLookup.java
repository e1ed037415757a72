package io.sluice.server;

import io.sluice.history.RunRecord;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the run a page's path names, keeping what it found for a moment: a run page makes five
 * requests at once and twenty viewers a hundred a second, and each needs the run's record (is it
 * going, is it lost) before anything else. A moment ({@code fresh}) is shorter than the pages'
 * polling, so a run's end is seen by the next poll.
 */
final class RunLookup {

  private record Found(Optional<RunRecord> run, Instant at) {}

  private static final int CAPACITY = 256;

  private final HistoryAccess history;
  private final Duration fresh;
  private final Clock clock;
  private final Map<String, Found> found = new LinkedHashMap<>(16, 0.75f, true);

  RunLookup(HistoryAccess history, Duration fresh, Clock clock) {
    this.history = history;
    this.fresh = fresh;
    this.clock = clock;
  }

  /** The run of this id (or unique beginning of one, or {@code last}), as the history had it a moment ago at most. */
  Optional<RunRecord> find(String id) throws SQLException {
    Instant now = clock.instant();
    synchronized (found) {
      Found kept = found.get(id);
      if (kept != null && now.isBefore(kept.at().plus(fresh)) && !now.isBefore(kept.at())) {
        return kept.run();
      }
    }
    Optional<RunRecord> run = history.read(db -> db.run(id));
    synchronized (found) {
      found.put(id, new Found(run, now));
      if (found.size() > CAPACITY) {
        found.remove(found.keySet().iterator().next());
      }
    }
    return run;
  }
}
