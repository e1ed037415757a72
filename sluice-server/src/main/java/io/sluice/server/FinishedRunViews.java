package io.sluice.server;

import io.sluice.history.RunRecord;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers about finished runs, kept: once a run has ended its tasks never change, so its
 * graph, timeline and family counts are computed once, not at every page view (the server may
 * be asked for the same big run many times a second). The most recently used few are kept.
 */
final class FinishedRunViews {

  /** A view of a run, computed from the history. */
  @FunctionalInterface
  interface View {
    Object compute() throws SQLException;
  }

  private final int capacity;
  private final Map<String, Object> views;

  FinishedRunViews(int capacity) {
    this.capacity = capacity;
    this.views = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The view {@code name} of {@code run}: kept when the run has ended, computed each time while it goes on. */
  Object get(RunRecord run, String name, View view) throws SQLException {
    if (run.endedAt() == null) {
      return view.compute();
    }
    String key = run.info().id() + "\n" + name;
    synchronized (views) {
      Object kept = views.get(key);
      if (kept != null) {
        return kept;
      }
    }
    Object computed = view.compute();
    synchronized (views) {
      views.put(key, computed);
      if (views.size() > capacity) {
        views.remove(views.keySet().iterator().next());
      }
    }
    return computed;
  }
}
