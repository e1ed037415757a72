package io.sluice.bench;

import io.sluice.TaskId;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times what a run does with its task ids in maps (the graph's index, the result and its copy)
 * for the ids of the bench's shapes: one parameter ({@code Link(index=41)}) and two
 * ({@code Cell(layer=3, index=41)}). Thread CPU time, so a loaded machine disturbs it less.
 * Run: {@code java -XX:TieredStopAtLevel=1 -cp sluice-bench/target/sluice-bench.jar io.sluice.bench.TaskIdMapBench}.
 */
public final class TaskIdMapBench {

  private static final int TASKS = 100_000;
  private static final int ROUNDS = 8;

  private TaskIdMapBench() {}

  public static void main(String[] args) {
    List<TaskId> oneParameter = new ArrayList<>(TASKS);
    List<TaskId> twoParameters = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      oneParameter.add(new TaskId("Link", Map.of("index", i)));
      Map<String, Object> cell = new LinkedHashMap<>();
      cell.put("layer", i / (TASKS / 10));
      cell.put("index", i % (TASKS / 10));
      twoParameters.add(new TaskId("Cell", cell));
    }
    System.out.println("ids=Link(index) cpu_ms_per_round=" + rounds(oneParameter));
    System.out.println("ids=Cell(layer,index) cpu_ms_per_round=" + rounds(twoParameters));
  }

  /** Per round: a sized map filled, every id looked up, and the map copied, as a run's result is. */
  private static List<Long> rounds(List<TaskId> ids) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Long> millis = new ArrayList<>(ROUNDS);
    for (int round = 0; round < ROUNDS; round++) {
      long start = threads.getCurrentThreadCpuTime();
      Map<TaskId, Integer> map = new LinkedHashMap<>(ids.size() * 4 / 3 + 1);
      for (TaskId id : ids) {
        map.put(id, round);
      }
      int found = 0;
      for (TaskId id : ids) {
        found += map.containsKey(id) ? 1 : 0;
      }
      Map<TaskId, Integer> copy = new LinkedHashMap<>(map);
      if (found != ids.size() || copy.size() != ids.size()) {
        throw new IllegalStateException("ids lost: " + found + " found, " + copy.size() + " copied of " + ids.size());
      }
      millis.add((threads.getCurrentThreadCpuTime() - start) / 1_000_000);
    }
    return millis;
  }
}
