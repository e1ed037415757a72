package io.sluice.history;

import io.sluice.Task;
import io.sluice.TaskGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's graph by family: how many tasks of each family it planned, and how many requirements
 * link one family to another. A few rows even for a 100k-task run, which is what a page can draw.
 *
 * @param families tasks planned per family, in the order the graph met them
 * @param links the links between families
 */
public record RunGraph(Map<String, Integer> families, List<Link> links) {

  /**
   * Tasks of {@code family} that require tasks of {@code requires}.
   *
   * @param family the family whose tasks require
   * @param requires the family required
   * @param count how many task-to-task requirements there are
   */
  public record Link(String family, String requires, int count) {
    public Link {
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(requires, "requires");
    }
  }

  public RunGraph {
    families = Collections.unmodifiableMap(new LinkedHashMap<>(families)); // keeps the order met
    links = List.copyOf(links);
  }

  /** The graph of a run that recorded none (recorded before schema V7, or its graph failed to build). */
  public static final RunGraph NONE = new RunGraph(Map.of(), List.of());

  /** Counts the families and their links; reads every task and requirement once. */
  public static RunGraph of(TaskGraph graph) {
    // Called on the engine's thread before any task runs: counters by family pair, with no
    // object made per requirement (a 100k-task fan-in has 100k of them).
    Map<String, int[]> families = new LinkedHashMap<>();
    Map<String, Map<String, int[]>> links = new LinkedHashMap<>();
    for (Task task : graph.tasks()) {
      String family = graph.id(task).family();
      families.computeIfAbsent(family, f -> new int[1])[0]++;
      Map<String, int[]> linksOfFamily = null;
      for (Task required : graph.requires(task)) {
        if (linksOfFamily == null) {
          linksOfFamily = links.computeIfAbsent(family, f -> new LinkedHashMap<>());
        }
        linksOfFamily.computeIfAbsent(graph.id(required).family(), f -> new int[1])[0]++;
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    families.forEach((family, count) -> counts.put(family, count[0]));
    List<Link> list = new ArrayList<>();
    links.forEach((family, required) ->
        required.forEach((requires, count) -> list.add(new Link(family, requires, count[0]))));
    return new RunGraph(counts, list);
  }
}
