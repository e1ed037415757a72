package io.sluice.history;

import java.util.Map;

/**
 * How many tasks of one family a run has, per status: a big run shows as its families.
 *
 * @param family the family
 * @param total how many tasks it has in the run
 * @param byStatus how many have each status present ({@link io.sluice.TaskStatus} name or {@code RUNNING})
 */
public record FamilyCounts(String family, int total, Map<String, Integer> byStatus) {

  public FamilyCounts {
    byStatus = Map.copyOf(byStatus);
  }
}
