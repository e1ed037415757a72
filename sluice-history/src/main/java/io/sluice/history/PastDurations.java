package io.sluice.history;

import io.sluice.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long tasks took when they last succeeded, to foresee how long they will take: the median of
 * the task's own past runs, else of its family's. Read from the history by
 * {@link HistoryDatabase#pastDurations}.
 */
public final class PastDurations {

  /** No past at all: nothing is foreseen. */
  public static final PastDurations NONE = new PastDurations(Map.of(), Map.of());

  private final Map<String, Duration> byTask;
  private final Map<String, Duration> byFamily;

  private PastDurations(Map<String, Duration> byTask, Map<String, Duration> byFamily) {
    this.byTask = byTask;
    this.byFamily = byFamily;
  }

  /** From past successful runs: per task id ({@code FitModel(alpha=0.5)}) the family and duration of each. */
  static PastDurations of(List<Sample> samples) {
    Map<String, List<Duration>> tasks = new HashMap<>();
    Map<String, List<Duration>> families = new HashMap<>();
    for (Sample sample : samples) {
      tasks.computeIfAbsent(sample.task(), key -> new ArrayList<>()).add(sample.duration());
      families.computeIfAbsent(sample.family(), key -> new ArrayList<>()).add(sample.duration());
    }
    return new PastDurations(medians(tasks), medians(families));
  }

  /** One past success of a task. */
  record Sample(String family, String task, Duration duration) {}

  /** What the task is expected to take, or empty when neither it nor its family ever succeeded. */
  public Optional<Duration> expected(TaskId id) {
    Duration own = byTask.get(id.toString());
    return Optional.ofNullable(own != null ? own : byFamily.get(id.family()));
  }

  /** Whether nothing at all is known. */
  public boolean isEmpty() {
    return byFamily.isEmpty();
  }

  private static Map<String, Duration> medians(Map<String, List<Duration>> samples) {
    Map<String, Duration> medians = new HashMap<>();
    samples.forEach((key, durations) -> {
      List<Duration> sorted = durations.stream().sorted().toList();
      int n = sorted.size();
      medians.put(key, n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
    });
    return medians;
  }
}
