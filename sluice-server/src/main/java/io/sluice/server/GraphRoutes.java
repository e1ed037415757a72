package io.sluice.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
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

/**
 * A run's graph by family and its timeline, under {@code /api/runs/{run}}: both sized by the
 * number of families, not of tasks, so a 100k-task run answers as fast as a small one.
 */
final class GraphRoutes {

  /** Up to this many tasks the timeline has a bar per task; beyond, a lane per family. */
  static final int TIMELINE_TASKS = 2000;
  /** Slices of a big run's time in a family lane. */
  static final int TIMELINE_SLICES = 120;

  private final HistoryAccess history;
  private final Clock clock;
  private final RunLookup runs;
  private final RunViews finished;

  GraphRoutes(HistoryAccess history, RunLookup runs, Clock clock, RunViews finished) {
    this.history = history;
    this.runs = runs;
    this.clock = clock;
    this.finished = finished;
  }

  void register(JavalinConfig config) {
    config.routes.get("/api/runs/{run}/graph", this::graph);
    config.routes.get("/api/runs/{run}/timeline", this::timeline);
  }

  private void graph(Context ctx) throws SQLException {
    RunRecord run = ApiRoutes.findRun(runs, history, ctx);
    ApiRoutes.json(ctx, finished.get(run, "graph", () -> JsonAnswer.of(graph(run))));
  }

  private Map<String, Object> graph(RunRecord run) throws SQLException {
    String id = run.info().id();
    RunGraph graph = history.read(db -> db.runGraph(id));
    List<FamilyCounts> recorded = ApiRoutes.families(history, finished, run);
    return Map.of("status", Views.status(run), "families", nodes(graph, recorded),
        "links", graph.links().stream().map(link -> Map.of("family", link.family(), "requires", link.requires(),
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

  private void timeline(Context ctx) throws SQLException {
    RunRecord run = ApiRoutes.findRun(runs, history, ctx);
    ApiRoutes.json(ctx, finished.get(run, "timeline", () -> JsonAnswer.of(timeline(run))));
  }

  private Map<String, Object> timeline(RunRecord run) throws SQLException {
    String id = run.info().id();
    // The run's size is what its graph planned (known from its start), or what it recorded when
    // more: a big run's timeline is lanes from the start, not a bar per task (a pass over up to
    // TIMELINE_TASKS tasks at every poll) until it has recorded that many.
    int planned = history.read(db -> db.runGraph(id)).families().values().stream().mapToInt(Integer::intValue).sum();
    int count = planned > TIMELINE_TASKS ? planned : Math.max(planned, history.read(db -> db.countTasks(id, TaskFilter.ALL)));
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
