package io.sluice.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.sluice.history.FamilyCounts;
import io.sluice.history.RunFilter;
import io.sluice.history.RunRecord;
import io.sluice.history.RunTask;
import io.sluice.history.TaskFilter;
import io.sluice.history.TaskRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON API under {@code /api}: what the pages show, for scripts too. */
final class ApiRoutes {

  static final int MAX_RUNS = 1000;
  static final int MAX_TASKS_PER_PAGE = 1000;
  static final int LOG_TAIL_BYTES = 64 * 1024;
  static final int PAST_RUNS = 30;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HistoryAccess history;
  private final RunLookup runs;
  private final RunAnswers answers;
  private final RunViews finished;

  ApiRoutes(HistoryAccess history, RunLookup runs, RunAnswers answers, RunViews finished) {
    this.history = history;
    this.runs = runs;
    this.answers = answers;
    this.finished = finished;
  }

  void register(JavalinConfig config) {
    var routes = config.routes;
    routes.get("/api/runs", this::runs);
    routes.get("/api/runs/{run}", this::run);
    routes.get("/api/runs/{run}/overview", this::overview);
    routes.get("/api/runs/{run}/graph", this::graph);
    routes.get("/api/runs/{run}/timeline", this::timeline);
    routes.get("/api/runs/{run}/tasks", this::tasks);
    routes.get("/api/runs/{run}/tasks/{task}", this::task);
    routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    routes.exception(SQLException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
  }

  private void runs(Context ctx) throws SQLException {
    String status = QueryParams.text(ctx, "status");
    RunFilter filter = new RunFilter(QueryParams.text(ctx, "task"), status == null ? null : RunFilter.Outcome.parse(status),
        QueryParams.text(ctx, "host"), QueryParams.instant(ctx, "from"), QueryParams.instant(ctx, "to"));
    int limit = QueryParams.integer(ctx, "limit", 50, 1, MAX_RUNS);
    List<RunRecord> runs = history.read(db -> db.runs(filter, limit));
    json(ctx, Map.of("runs", runs.stream().map(Views::run).toList()));
  }

  private void run(Context ctx) throws SQLException {
    RunRecord run = findRun(ctx);
    json(ctx, finished.get(run, "run", () -> JsonAnswer.of(answers.summary(run, families(run)))));
  }

  /** The run page's one call: the run, its graph, its timeline and its first page of tasks. */
  private void overview(Context ctx) throws SQLException {
    RunRecord run = findRun(ctx);
    json(ctx, finished.get(run, "overview", () -> JsonAnswer.of(answers.overview(run))));
  }

  private void graph(Context ctx) throws SQLException {
    RunRecord run = findRun(ctx);
    json(ctx, finished.get(run, "graph", () -> JsonAnswer.of(answers.graph(run, families(run)))));
  }

  private void timeline(Context ctx) throws SQLException {
    RunRecord run = findRun(ctx);
    json(ctx, finished.get(run, "timeline", () -> JsonAnswer.of(answers.timeline(run))));
  }

  private void tasks(Context ctx) throws SQLException {
    RunRecord run = findRun(ctx);
    TaskFilter filter = new TaskFilter(QueryParams.text(ctx, "family"), QueryParams.text(ctx, "status"),
        QueryParams.text(ctx, "q"));
    int offset = QueryParams.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = QueryParams.integer(ctx, "limit", 100, 1, MAX_TASKS_PER_PAGE);
    json(ctx, finished.get(run, "tasks " + filter + " " + offset + " " + limit,
        () -> JsonAnswer.of(answers.tasks(run, filter, offset, limit))));
  }

  private void task(Context ctx) throws SQLException, IOException {
    RunRecord run = findRun(ctx);
    String number = ctx.pathParam("task");
    int taskNumber;
    try {
      taskNumber = Integer.parseInt(number);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "Task '" + number + "' is not a task number; the run's task list gives them");
    }
    RunTask task = history.read(db -> db.task(run.info().id(), taskNumber)).orElseThrow(() -> new ApiException(404,
        "Run " + run.info().id() + " has no task number " + taskNumber));
    TaskRecord record = task.record();
    Map<String, Object> view = Views.taskRow(task);
    view.put("runId", record.runId());
    view.put("params", parameters(record.params()));
    view.put("endedAt", Views.time(record.endedAt()));
    view.put("stackTrace", record.stackTrace());
    view.put("events", history.read(db -> db.events(run.info().id(), taskNumber)).stream().map(Views::event).toList());
    view.put("logFile", record.logFile());
    // Relative paths are the run's: resolve them against its working directory, not the server's.
    Path cwd = path(run.info().cwd(), null);
    LogTail log = LogTail.of(path(record.logFile(), cwd), LOG_TAIL_BYTES);
    view.put("logTail", log == null ? null : log.text());
    view.put("logSize", log == null ? null : log.size());
    view.put("outputs", outputs(record.outputs(), cwd));
    view.put("remote", Views.remote(record.remote()));
    view.put("pastRuns", history.read(db -> db.taskHistory(record.name(), PAST_RUNS)).stream().map(Views::pastRun)
        .toList());
    json(ctx, view);
  }

  /**
   * A run's tasks counted per family and status, kept like an answer: the run and its graph, asked
   * by a script at once, both need them (a scan of the run's tasks: the cost of a first view).
   */
  @SuppressWarnings("unchecked")
  private List<FamilyCounts> families(RunRecord run) throws SQLException {
    return (List<FamilyCounts>) finished.get(run, "families", () -> answers.families(run));
  }

  private RunRecord findRun(Context ctx) throws SQLException {
    return findRun(runs, history, ctx);
  }

  /** The run the path's {@code {run}} names, or a 404 that says where to find the ids. */
  static RunRecord findRun(RunLookup runs, HistoryAccess history, Context ctx) throws SQLException {
    String id = ctx.pathParam("run");
    return runs.find(id).orElseThrow(() -> new ApiException(404,
        "No run '" + id + "' in the history at " + history.where() + "; /api/runs lists the recorded runs"));
  }

  /** A JSON text the history stores, as a value to answer with; the text itself when it is not JSON. */
  static Object parameters(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      return json; // shown as stored rather than not at all
    }
  }

  private static List<Map<String, Object>> outputs(String outputs, Path cwd) {
    List<Map<String, Object>> views = new ArrayList<>();
    if (outputs == null) {
      return views;
    }
    for (String line : outputs.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Path file = path(line, cwd);
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("path", line);
      Long size = null;
      try {
        size = file != null && Files.isRegularFile(file) ? Files.size(file) : null;
      } catch (IOException e) {
        // an output removed since: no size
      }
      view.put("exists", file != null && Files.exists(file));
      view.put("size", size);
      views.add(view);
    }
    return views;
  }

  private static Path path(String text, Path cwd) {
    if (text == null) {
      return null;
    }
    try {
      return cwd == null ? Path.of(text) : cwd.resolve(text);
    } catch (InvalidPathException e) {
      return null; // a remote or odd path: not on this machine
    }
  }

  /** Writes {@code value} as JSON, with its ETag; a {@link JsonAnswer} is JSON already (a kept answer). */
  static void json(Context ctx, Object value) {
    (value instanceof JsonAnswer answer ? answer : JsonAnswer.of(value)).send(ctx);
  }

  /** The JSON of {@code value}. */
  static byte[] toJson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
    }
  }

  static void error(Context ctx, int status, String message) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(toJson(Map.of("message", message)));
  }
}
