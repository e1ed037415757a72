package io.sluice.domino.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The HTTP API: Domino's public endpoints ({@code /v1/projects/OWNER/PROJECT/...}, {@code /v4/...})
 * as python-domino calls them, behind the fault and API-key gate, and the emulator's own
 * {@code /_emulator/faults}.
 */
final class ApiRoutes {

  private static final String P = "/v1/projects/{owner}/{project}";

  private final String owner;
  private final String project;
  private final String projectId;
  private final ProjectStore store;
  private final Runs runs;
  private final RequestGate gate;
  private final FaultRequests faultRequests;

  ApiRoutes(String owner, String project, String projectId, ProjectStore store, Runs runs, RequestGate gate,
      FaultRequests faultRequests) {
    this.owner = owner;
    this.project = project;
    this.projectId = projectId;
    this.store = store;
    this.runs = runs;
    this.gate = gate;
    this.faultRequests = faultRequests;
  }

  void register(JavalinConfig config) {
    var routes = config.routes;
    routes.before(gate::check);
    routes.post(P + "/runs", this::startRun);
    routes.get(P + "/runs", this::listRuns);
    routes.get(P + "/runs/{runId}", this::getRun);
    routes.get(P + "/run/{runId}/stdout", this::stdout);
    routes.get(P + "/files/{commitId}", this::listFiles);
    routes.get(P + "/files/{commitId}/<path>", this::listFiles);
    routes.get(P + "/blobs/{key}", this::blob);
    routes.put(P + "/<path>", this::upload);
    routes.get("/v4/gateway/projects/findProjectByOwnerAndName", this::findProject);
    routes.post("/v4/jobs/stop", this::stopRun);
    routes.post("/_emulator/faults", ctx -> json(ctx, faultRequests.apply(ctx.bodyAsBytes())));
    routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "Emulator failure: " + e));
    routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
        error(ctx, 404, "No endpoint " + ctx.method() + " " + ctx.path() + " in this Domino emulator");
      }
    });
  }

  private void startRun(Context ctx) throws IOException {
    requireProject(ctx);
    JsonNode body = Json.object(ctx.bodyAsBytes(), "POST runs");
    JsonNode commandNode = body.get("command");
    if (commandNode == null || !commandNode.isArray() || commandNode.isEmpty()) {
      throw new ApiException(400, "'command' must be a non-empty array of strings, e.g. [\"main.py\", \"--x\"]");
    }
    List<String> command = new ArrayList<>();
    for (JsonNode part : commandNode) {
      if (!part.isTextual()) {
        throw new ApiException(400, "'command' must hold only strings; found " + part);
      }
      command.add(part.asText());
    }
    if (body.path("isDirect").asBoolean(false)) {
      // Domino runs a direct command through a shell, as one line.
      command = List.of("sh", "-c", String.join(" ", command));
    }
    RunRecord run = runs.submit(command, text(body, "commitId"), text(body, "title"), text(body, "tier"));
    json(ctx, Map.of("runId", run.id));
  }

  private void listRuns(Context ctx) {
    requireProject(ctx);
    List<Map<String, Object>> data = new ArrayList<>();
    for (RunRecord run : runs.newestFirst()) {
      if (!gate.faults().hidden(run.id)) {
        data.add(run.json());
      }
    }
    json(ctx, Map.of("data", data));
  }

  private void getRun(Context ctx) {
    requireProject(ctx);
    json(ctx, run(ctx.pathParam("runId")).json());
  }

  private void stdout(Context ctx) throws IOException {
    requireProject(ctx);
    RunRecord run = run(ctx.pathParam("runId"));
    Map<String, Object> logs = new LinkedHashMap<>();
    logs.put("setup", readIfThere(run.setupFile()));
    logs.put("stdout", readIfThere(run.stdoutFile()));
    json(ctx, logs);
  }

  private void listFiles(Context ctx) {
    requireProject(ctx);
    String commitId = ctx.pathParam("commitId");
    String path = ProjectPaths.normalize(ctx.pathParamMap().getOrDefault("path", ""));
    Commit commit = store.commit(commitId).orElseThrow(() -> new ApiException(404,
        "Unknown commit '" + commitId + "' in project " + owner + "/" + project));
    SortedMap<String, FileEntry> files = commit.under(path);
    if (files.isEmpty() && !path.isEmpty()) {
      throw new ApiException(404, "No file or directory '" + path + "' at commit " + commitId);
    }
    List<Map<String, Object>> data = new ArrayList<>();
    files.forEach((name, entry) -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("path", name);
      item.put("key", entry.key());
      item.put("size", entry.size());
      item.put("lastModified", entry.lastModified());
      data.add(item);
    });
    json(ctx, Map.of("data", data));
  }

  private void blob(Context ctx) throws IOException {
    requireProject(ctx);
    String key = ctx.pathParam("key");
    Path file = store.blob(key).orElseThrow(() -> new ApiException(404, "No blob with key '" + key + "'"));
    ctx.contentType("application/octet-stream");
    ctx.result(Files.newInputStream(file));
  }

  private void upload(Context ctx) throws IOException {
    requireProject(ctx);
    String path = ProjectPaths.normalize(ctx.pathParam("path"));
    if (path.isEmpty()) {
      throw new ApiException(400, "PUT needs a file path after the project, e.g. PUT " + prefix() + "/data/input.csv");
    }
    byte[] content = ctx.bodyAsBytes();
    Commit commit = store.upload(path, content);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("path", path);
    result.put("key", commit.files().get(path).key());
    result.put("size", content.length);
    result.put("commitId", commit.id());
    json(ctx, result);
  }

  private void findProject(Context ctx) {
    String ownerName = ctx.queryParam("ownerName");
    String projectName = ctx.queryParam("projectName");
    if (ownerName == null || projectName == null) {
      throw new ApiException(400, "Give both query parameters ownerName and projectName");
    }
    if (!ownerName.equals(owner) || !projectName.equals(project)) {
      throw new ApiException(404, "No project " + ownerName + "/" + projectName + " (this emulator serves "
          + owner + "/" + project + "; start it with --owner and --project for another)");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", projectId);
    result.put("name", project);
    result.put("ownerUsername", owner);
    json(ctx, result);
  }

  private void stopRun(Context ctx) {
    JsonNode body = Json.object(ctx.bodyAsBytes(), "POST /v4/jobs/stop");
    String requestedProject = text(body, "projectId");
    if (!projectId.equals(requestedProject)) {
      throw new ApiException(404, "Unknown projectId '" + requestedProject + "': ask GET "
          + "/v4/gateway/projects/findProjectByOwnerAndName for the id of " + owner + "/" + project);
    }
    String jobId = text(body, "jobId");
    RunRecord run = run(jobId);
    Status status = runs.stop(run);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("jobId", run.id);
    result.put("status", status.wireName());
    json(ctx, result);
  }

  private RunRecord run(String id) {
    return runs.find(id).orElseThrow(() -> new ApiException(404,
        "No run '" + id + "' in project " + owner + "/" + project));
  }

  private void requireProject(Context ctx) {
    String requestedOwner = ctx.pathParam("owner");
    String requestedProject = ctx.pathParam("project");
    if (!requestedOwner.equals(owner) || !requestedProject.equals(project)) {
      throw new ApiException(404, "No project " + requestedOwner + "/" + requestedProject
          + " (this emulator serves " + owner + "/" + project + "; start it with --owner and --project for another)");
    }
  }

  private String prefix() {
    return "/v1/projects/" + owner + "/" + project;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new ApiException(400, "'" + field + "' must be a string or null; found " + node);
    }
    return node.asText();
  }

  private static String readIfThere(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  static void json(Context ctx, Object value) {
    ctx.contentType("application/json");
    ctx.result(Json.bytes(value));
  }

  static void error(Context ctx, int status, String message) {
    ctx.status(status);
    json(ctx, Map.of("message", message));
  }
}
