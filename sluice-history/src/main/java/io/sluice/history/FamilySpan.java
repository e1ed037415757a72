package io.sluice.history;

/**
 * When a family's tasks ran in one run: a lane of a big run's timeline.
 *
 * @param family the family
 * @param first the first start of one of its tasks
 * @param last the last end (or start, for a task still running)
 * @param started how many of its tasks started
 * @param startsPerSlice how many started in each equal slice of the run's time, first to last
 */
public record FamilySpan(String family, java.time.Instant first, java.time.Instant last, int started,
    java.util.List<Integer> startsPerSlice) {

  public FamilySpan {
    startsPerSlice = java.util.List.copyOf(startsPerSlice);
  }
}
