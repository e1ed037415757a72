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
    Map<String, Integer> families = new LinkedHashMap<>();
    Map<List<String>, Integer> links = new LinkedHashMap<>();
    for (Task task : graph.tasks()) {
      String family = graph.id(task).family();
      families.merge(family, 1, Integer::sum);
      for (Task required : graph.requires(task)) {
        links.merge(List.of(family, graph.id(required).family()), 1, Integer::sum);
      }
    }
    List<Link> list = new ArrayList<>();
    links.forEach((pair, count) -> list.add(new Link(pair.get(0), pair.get(1), count)));
    return new RunGraph(families, list);
  }
}
