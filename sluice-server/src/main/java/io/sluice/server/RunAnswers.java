package io.sluice.server;

import io.sluice.history.FamilyCounts;
import io.sluice.history.FamilySpan;
import io.sluice.history.RunGraph;
import io.sluice.history.RunRecord;
import io.sluice.history.RunTask;
import io.sluice.history.TaskFilter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the API answers about one run, computed from the history: the run with its family counts,
 * its graph by family, its timeline, a page of its tasks, and the overview that holds the four as
 * the run page first shows them. Each is sized by the run's families, not its tasks, except a page
 * of tasks; keeping them is {@link RunViews}' part.
 */
final class RunAnswers {

  /** Up to this many tasks the timeline has a bar per task; beyond, a lane per family. */
  static final int TIMELINE_TASKS = 2000;
  /** Slices of a big run's time in a family lane. */
  static final int TIMELINE_SLICES = 120;
  /** Tasks in the overview's page of tasks, and in the run page's table pages. */
  static final int OVERVIEW_TASKS = 100;

  private final HistoryAccess history;
  private final Clock clock;

  RunAnswers(HistoryAccess history, Clock clock) {
    this.history = history;
    this.clock = clock;
  }

  /** How many tasks a run has recorded, asked only when needed. */
  @FunctionalInterface
  private interface Recorded {
    int count() throws SQLException;
  }

  /**
   * The run page's first view in one answer: {@code run} (as {@link #summary}), {@code graph},
   * {@code timeline} and {@code tasks} (the first page of all its tasks), read together so that
   * they agree, from one count of the run's tasks per family (which also counts all its tasks) and
   * one read of its plan.
   */
  Map<String, Object> overview(RunRecord run) throws SQLException {
    String id = run.info().id();
    List<FamilyCounts> families = history.read(db -> db.families(id));
    int recorded = families.stream().mapToInt(FamilyCounts::total).sum();
    RunGraph plan = history.read(db -> db.runGraph(id));
    Map<String, Object> overview = new LinkedHashMap<>();
    overview.put("run", summary(run, families));
    overview.put("graph", graph(run, plan, families));
    overview.put("timeline", timeline(run, plan, () -> recorded));
    overview.put("tasks", tasks(id, TaskFilter.ALL, 0, OVERVIEW_TASKS, recorded));
    return overview;
  }

  /** The run's tasks counted per family and status: a scan of the run's tasks. */
  List<FamilyCounts> families(RunRecord run) throws SQLException {
    return history.read(db -> db.families(run.info().id()));
  }

  /** The run with {@code taskCount}, {@code byStatus} and its {@code families}. */
  Map<String, Object> summary(RunRecord run, List<FamilyCounts> families) {
    Map<String, Integer> totals = new TreeMap<>();
    families.forEach(family -> family.byStatus().forEach((status, count) -> totals.merge(status, count, Integer::sum)));
    Map<String, Object> view = Views.run(run);
    view.put("taskCount", totals.values().stream().mapToInt(Integer::intValue).sum());
    view.put("byStatus", totals);
    view.put("families", families.stream().map(Views::family).toList());
    return view;
  }

  /** A page of the run's tasks that pass {@code filter}, with how many pass it. */
  Map<String, Object> tasks(RunRecord run, TaskFilter filter, int offset, int limit) throws SQLException {
    String id = run.info().id();
    return tasks(id, filter, offset, limit, history.read(db -> db.countTasks(id, filter)));
  }

  private Map<String, Object> tasks(String id, TaskFilter filter, int offset, int limit, int total) throws SQLException {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("total", total);
    view.put("offset", offset);
    view.put("tasks", history.read(db -> db.tasks(id, filter, offset, limit)).stream().map(Views::taskRow).toList());
    return view;
  }

  /** The run's graph by family, from its plan and the statuses {@code recorded} so far. */
  Map<String, Object> graph(RunRecord run, List<FamilyCounts> recorded) throws SQLException {
    return graph(run, history.read(db -> db.runGraph(run.info().id())), recorded);
  }

  private Map<String, Object> graph(RunRecord run, RunGraph plan, List<FamilyCounts> recorded) {
    return Map.of("status", Views.status(run), "families", nodes(plan, recorded),
        "links", plan.links().stream().map(link -> Map.of("family", link.family(), "requires", link.requires(),
            "count", link.count())).toList());
  }

  /**
   * A node per family: what the graph planned, with the statuses recorded so far; the tasks not
   * yet met by any event are {@code PENDING}. Families recorded but not planned (a run recorded
   * before its graph was, or a dynamic requirement) come after.
   */
  static List<Map<String, Object>> nodes(RunGraph graph, List<FamilyCounts> recorded) {
    Map<String, FamilyCounts> byFamily = new LinkedHashMap<>();
    recorded.forEach(family -> byFamily.put(family.family(), family));
    List<Map<String, Object>> nodes = new ArrayList<>();
    graph.families().forEach((family, planned) -> nodes.add(node(family, planned, byFamily.remove(family))));
    byFamily.forEach((family, counts) -> nodes.add(node(family, counts.total(), counts)));
    return nodes;
  }

  private static Map<String, Object> node(String family, int planned, FamilyCounts counts) {
    Map<String, Integer> byStatus = new LinkedHashMap<>(counts == null ? Map.of() : counts.byStatus());
    int seen = counts == null ? 0 : counts.total();
    if (planned > seen) {
      byStatus.merge("PENDING", planned - seen, Integer::sum);
    }
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("family", family);
    node.put("total", Math.max(planned, seen));
    node.put("byStatus", byStatus);
    return node;
  }

  /** When the run's tasks ran: a bar per task in a small run, a lane per family in a big one. */
  Map<String, Object> timeline(RunRecord run) throws SQLException {
    String id = run.info().id();
    return timeline(run, history.read(db -> db.runGraph(id)), () -> history.read(db -> db.countTasks(id, TaskFilter.ALL)));
  }

  private Map<String, Object> timeline(RunRecord run, RunGraph plan, Recorded recorded) throws SQLException {
    String id = run.info().id();
    // The run's size is what its graph planned (known from its start), or what it recorded when
    // more: a big run's timeline is lanes from the start, not a bar per task (a pass over up to
    // TIMELINE_TASKS tasks at every poll) until it has recorded that many.
    int planned = plan.families().values().stream().mapToInt(Integer::intValue).sum();
    int count = planned > TIMELINE_TASKS ? planned : Math.max(planned, recorded.count());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", Views.status(run));
    if (count <= TIMELINE_TASKS) {
      List<RunTask> tasks = history.read(db -> db.tasks(id, TaskFilter.ALL, 0, TIMELINE_TASKS));
      view.put("mode", "tasks");
      view.put("tasks", tasks.stream().filter(task -> task.record().startedAt() != null).map(task -> {
        Map<String, Object> bar = new LinkedHashMap<>();
        bar.put("number", task.number());
        bar.put("name", task.record().name());
        bar.put("family", task.record().family());
        bar.put("status", task.record().status());
        bar.put("startedAt", Views.time(task.record().startedAt()));
        bar.put("endedAt", Views.time(task.record().endedAt()));
        return bar;
      }).toList());
    } else {
      // Slices of the run's own time: one pass over its tasks, no first pass for their extremes.
      Instant from = run.info().startedAt();
      Instant to = run.endedAt() == null ? clock.instant() : run.endedAt();
      List<FamilySpan> spans = history.read(db -> db.familySpans(id, from, to, TIMELINE_SLICES));
      view.put("from", Views.time(from));
      view.put("to", Views.time(to));
      view.put("mode", "families");
      view.put("slices", TIMELINE_SLICES);
      view.put("families", spans.stream().map(span -> {
        Map<String, Object> lane = new LinkedHashMap<>();
        lane.put("family", span.family());
        lane.put("first", Views.time(span.first()));
        lane.put("last", Views.time(span.last()));
        lane.put("started", span.started());
        lane.put("startsPerSlice", span.startsPerSlice());
        return lane;
      }).toList());
    }
    return view;
  }
}
