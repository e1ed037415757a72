package io.sluice.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.sluice.history.HeldLease;
import io.sluice.history.RunFilter;
import io.sluice.history.RunRecord;
import io.sluice.history.RunTask;
import io.sluice.history.TaskFilter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is going on now, {@code /api/now}: the runs in progress (host, pid, root task) with the
 * tasks they are running and what they hold against their resource limits, the task leases held,
 * and the remote runs active per tier.
 */
final class NowRoutes {

  static final int MAX_RUNS = 100;
  static final int TASKS_PER_RUN = 100;
  static final int MAX_LEASES = 500;

  private final HistoryAccess history;
  private final Clock clock;

  NowRoutes(HistoryAccess history, Clock clock) {
    this.history = history;
    this.clock = clock;
  }

  void register(JavalinConfig config) {
    config.routes.get("/api/now", this::now);
  }

  private void now(Context ctx) throws SQLException {
    List<RunRecord> runs = history.read(db -> db.runs(new RunFilter(null, RunFilter.Outcome.RUNNING, null, null, null),
        MAX_RUNS));
    TaskFilter running = new TaskFilter(null, "RUNNING", null);
    List<Map<String, Object>> runViews = new ArrayList<>();
    Map<String, Map<String, Integer>> tiers = new TreeMap<>();  // tier -> backend -> active remote runs
    for (RunRecord run : runs) {
      String id = run.info().id();
      int count = history.read(db -> db.countTasks(id, running));
      List<RunTask> tasks = history.read(db -> db.tasks(id, running, 0, TASKS_PER_RUN));
      Map<String, Object> view = Views.run(run);
      view.put("runningTasks", count);
      // What it holds against its [resources] limits, as its process last told it (null: nothing to tell).
      view.put("resources", history.read(db -> db.resourceUse(id)).map(ApiRoutes::parameters).orElse(null));
      view.put("tasks", tasks.stream().map(task -> {
        Map<String, Object> row = Views.taskRow(task);
        row.put("remote", Views.remote(task.record().remote()));
        return row;
      }).toList());
      runViews.add(view);
      for (RunTask task : tasks) {
        var remote = task.record().remote();
        if (remote != null) {
          tiers.computeIfAbsent(remote.tier() == null ? "(no tier)" : remote.tier(), tier -> new TreeMap<>())
              .merge(remote.backend(), 1, Integer::sum);
        }
      }
    }
    List<HeldLease> leases = history.read(db -> db.heldLeases(clock.instant(), MAX_LEASES));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("at", Views.time(clock.instant()));
    view.put("runs", runViews);
    view.put("remoteByTier", tiers.entrySet().stream().map(tier -> Map.of("tier", tier.getKey(), "active",
        tier.getValue().values().stream().mapToInt(Integer::intValue).sum(), "backends", tier.getValue())).toList());
    view.put("leases", leases.stream().map(lease -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("task", lease.taskId());
      row.put("runId", lease.holder().runId());
      row.put("host", lease.holder().host());
      row.put("pid", lease.holder().pid());
      row.put("epoch", lease.epoch());
      row.put("heartbeatAt", Views.time(lease.heartbeatAt()));
      row.put("expiresAt", Views.time(lease.expiresAt()));
      return row;
    }).toList());
    ApiRoutes.json(ctx, view);
  }
}
