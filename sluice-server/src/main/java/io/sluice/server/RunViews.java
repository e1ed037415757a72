package io.sluice.server;

import io.sluice.history.RunRecord;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers about runs, kept so that many page views of one run cost the history little: once
 * a run has ended its tasks never change, so its views are kept for good (the most recently used
 * few); while it goes on a view is kept for a moment ({@code fresh}, shorter than the pages'
 * polling), so that twenty viewers a second cost one query a second, not twenty.
 */
final class RunViews {

  /** A view of a run, computed from the history. */
  @FunctionalInterface
  interface View {
    Object compute() throws SQLException;
  }

  private record Kept(Object value, Instant at) {}

  private final int capacity;
  private final Duration fresh;
  private final Clock clock;
  private final Map<String, Kept> views = new LinkedHashMap<>(16, 0.75f, true);
  private final Object computing = new Object();

  RunViews(int capacity, Duration fresh, Clock clock) {
    this.capacity = capacity;
    this.fresh = fresh;
    this.clock = clock;
  }

  /** The view {@code name} of {@code run}: kept for good once the run has ended, for a moment before. */
  Object get(RunRecord run, String name, View view) throws SQLException {
    String key = run.info().id() + "\n" + name;
    Object kept = kept(run, key, clock.instant());
    if (kept != null) {
      return kept;
    }
    // One computation at a time (the history answers one query at a time anyway): viewers who
    // find the same view stale together wait for the first one's answer instead of computing it again.
    synchronized (computing) {
      Instant now = clock.instant();
      kept = kept(run, key, now);
      if (kept != null) {
        return kept;
      }
      Object computed = view.compute();
      synchronized (views) {
        // A view computed while the run went on is stamped before its end: it is computed again once.
        views.put(key, new Kept(computed, now));
        if (views.size() > capacity) {
          views.remove(views.keySet().iterator().next());
        }
      }
      return computed;
    }
  }

  private Object kept(RunRecord run, String key, Instant now) {
    synchronized (views) {
      Kept kept = views.get(key);
      if (kept != null && (run.endedAt() != null && !kept.at().isBefore(run.endedAt())
          || now.isBefore(kept.at().plus(fresh)))) {
        return kept.value();
      }
      return null;
    }
  }
}
