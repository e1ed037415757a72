package io.sluice.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.sluice.history.RunRecord;
import io.sluice.history.ScheduleFire;
import io.sluice.server.schedule.Schedule;
import io.sluice.server.schedule.ScheduleService;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The schedules in the API: each with its next and last runs, and {@code POST} to start one now. */
final class ScheduleRoutes {

  static final int LAST_FIRES = 10;

  private final HistoryAccess history;
  private final ScheduleService schedules;

  /** {@code schedules} is null when the server runs none. */
  ScheduleRoutes(HistoryAccess history, ScheduleService schedules) {
    this.history = history;
    this.schedules = schedules;
  }

  void register(JavalinConfig config) {
    var routes = config.routes;
    routes.get("/api/schedules", this::list);
    routes.post("/api/schedules/{name}/run", this::runNow);
  }

  private void list(Context ctx) throws SQLException, InterruptedException {
    List<Map<String, Object>> views = new ArrayList<>();
    if (schedules != null) {
      for (ScheduleService.State state : schedules.states()) {
        Schedule schedule = state.schedule();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", schedule.name());
        view.put("cron", schedule.cron());
        view.put("timeZone", schedule.zone().getId());
        view.put("task", schedule.task());
        view.put("args", schedule.args());
        view.put("overlap", schedule.overlap().label());
        view.put("catchUp", schedule.catchUp().label());
        view.put("next", Views.time(state.next()));
        view.put("running", state.running());
        view.put("queued", state.queued());
        List<Map<String, Object>> fires = new ArrayList<>();
        for (ScheduleFire fire : history.read(db -> db.scheduleFires().recent(schedule.name(), false, LAST_FIRES))) {
          fires.add(fire(fire));
        }
        view.put("fires", fires);
        List<ScheduleFire> skipped = history.read(db -> db.scheduleFires().recent(schedule.name(), true, 1));
        view.put("lastSkipped", skipped.isEmpty() ? null : fire(skipped.get(0)));
        views.add(view);
      }
    }
    ApiRoutes.json(ctx, Map.of("schedules", views));
  }

  private void runNow(Context ctx) throws SQLException, InterruptedException {
    String name = ctx.pathParam("name");
    if (schedules == null || schedules.schedule(name).isEmpty()) {
      throw new ApiException(404, "No schedule '" + name + "'; GET /api/schedules lists them ([schedules.NAME] in"
          + " sluice.toml defines one)");
    }
    ScheduleFire fire = schedules.runNow(name);
    ctx.status(fire.outcome().equals("failed") ? 500 : fire.outcome().equals("skipped") ? 409 : 202);
    ApiRoutes.json(ctx, fire(fire));
  }

  private Map<String, Object> fire(ScheduleFire fire) throws SQLException {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("dueAt", Views.time(fire.dueAt()));
    view.put("firedAt", Views.time(fire.firedAt()));
    view.put("reason", fire.reason());
    view.put("outcome", fire.outcome());
    view.put("pid", fire.pid());
    view.put("logFile", fire.logFile());
    view.put("message", fire.message());
    Optional<RunRecord> run = fire.runId() == null ? Optional.empty() : history.read(db -> db.run(fire.runId()));
    // Null while the process has not recorded its run yet, or when it stopped before (its log says why).
    view.put("runId", run.map(r -> r.info().id()).orElse(null));
    view.put("runStatus", run.map(Views::status).orElse(null));
    return view;
  }
}
