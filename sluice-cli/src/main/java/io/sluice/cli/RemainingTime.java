package io.sluice.cli;

import io.sluice.Task;
import io.sluice.TaskGraph;
import io.sluice.TaskId;
import io.sluice.history.PastDurations;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Foresees how long a run has left from its tasks' past durations: the longest chain of tasks
 * still to finish (its remaining critical path), a running task counting what its past duration
 * leaves of it, and no less than the remaining work shared by the workers. Single-threaded: the
 * progress display calls it under its own lock.
 */
final class RemainingTime {

  private final Map<TaskId, Integer> index = new HashMap<>();
  private final TaskId[] ids;
  private final int[][] requires;
  private long[] expectedMs;
  private final Instant[] startedAt;
  private final boolean[] over;
  private final int workers;

  private RemainingTime(int size, int workers) {
    this.ids = new TaskId[size];
    this.requires = new int[size][];
    this.startedAt = new Instant[size];
    this.over = new boolean[size];
    this.workers = workers;
  }

  /** The run's tasks to run, dependencies first, as the graph has them; nothing expected of them yet. */
  static RemainingTime plan(TaskGraph graph, int workers) {
    List<Task> toRun = graph.toRun();
    RemainingTime time = new RemainingTime(toRun.size(), Math.max(1, workers));
    for (int i = 0; i < toRun.size(); i++) {
      time.ids[i] = graph.id(toRun.get(i));
      time.index.put(time.ids[i], i);
    }
    for (int i = 0; i < toRun.size(); i++) {
      time.requires[i] = graph.requires(toRun.get(i)).stream().map(graph::id).map(time.index::get)
          .filter(j -> j != null).mapToInt(Integer::intValue).toArray();
    }
    return time;
  }

  /** The families of the tasks to run, whose past durations are to be read. */
  Set<String> families() {
    Set<String> families = new LinkedHashSet<>();
    for (TaskId id : ids) {
      families.add(id.family());
    }
    return families;
  }

  /**
   * Expects each task to take what it took before; false, and no ETA, when some task to run has
   * no past (its own or its family's): a part-known run gets no ETA rather than a wrong one.
   */
  boolean expect(PastDurations past) {
    long[] expected = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      Optional<Duration> duration = past.expected(ids[i]);
      if (duration.isEmpty()) {
        return false;
      }
      expected[i] = duration.get().toMillis();
    }
    expectedMs = expected;
    return true;
  }

  /** The task's attempt started (a retry starts its clock again). */
  void started(TaskId id, Instant at) {
    Integer i = index.get(id);
    if (i != null) {
      startedAt[i] = at;
    }
  }

  /** The task is over, whatever its outcome: it takes no more time. */
  void ended(TaskId id) {
    Integer i = index.get(id);
    if (i != null) {
      over[i] = true;
    }
  }

  /** How long the run has left at {@code now}; empty until every task to run has an expected duration. */
  Optional<Duration> left(Instant now) {
    if (expectedMs == null) {
      return Optional.empty();
    }
    long[] finish = new long[requires.length];
    long path = 0;
    long work = 0;
    // Dependencies first: each task's chain is known when its own is computed.
    for (int i = 0; i < requires.length; i++) {
      if (over[i]) {
        continue;
      }
      long own = startedAt[i] == null ? expectedMs[i]
          : Math.max(0, expectedMs[i] - Duration.between(startedAt[i], now).toMillis());
      long before = 0;
      for (int j : requires[i]) {
        before = Math.max(before, finish[j]);
      }
      finish[i] = before + own;
      path = Math.max(path, finish[i]);
      work += own;
    }
    return Optional.of(Duration.ofMillis(Math.max(path, (work + workers - 1) / workers)));
  }
}
