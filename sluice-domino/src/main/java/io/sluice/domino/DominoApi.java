package io.sluice.domino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of Domino's public REST API Sluice speaks (the routes of python-domino): runs,
 * their logs, files and blobs of commits, uploads, and stopping a run.
 */
final class DominoApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a stop is retried: long enough for a blip, short enough for a user who pressed Ctrl-C. */
  static final java.time.Duration STOP_WINDOW = java.time.Duration.ofMinutes(1);

  private final DominoHttp http;
  private final String project;
  private final DominoConfig config;
  private volatile String projectId;

  DominoApi(DominoHttp http, DominoConfig config) {
    this.http = http;
    this.config = config;
    this.project = config.projectPath();
  }

  /** {@code POST P/runs}: starts a run, returns its id. */
  String startRun(List<String> command, String commitId, String title, String tier) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putPOJO("command", command);
    body.put("isDirect", false);
    if (commitId == null) {
      body.putNull("commitId");
    } else {
      body.put("commitId", commitId);
    }
    body.put("title", title);
    body.put("tier", tier);
    body.put("publishApiEndpoint", false);
    DominoHttp.Answer answer = http.postJson(project + "/runs", JSON.writeValueAsString(body));
    JsonNode id = json(answer, "POST " + project + "/runs").get("runId");
    if (id == null || id.asText().isEmpty()) {
      throw new IOException("Domino accepted the run but answered no runId: " + answer.text());
    }
    return id.asText();
  }

  /** {@code GET P/runs/{id}}; empty when Domino does not know the run. */
  Optional<DominoRun> run(String runId) throws IOException {
    DominoHttp.Answer answer = http.get(project + "/runs/" + DominoPaths.segment(runId));
    if (!answer.found()) {
      return Optional.empty();
    }
    return Optional.of(DominoRun.of(json(answer, "GET run " + runId)));
  }

  /** {@code GET P/runs}: every run of the project, by id. */
  Map<String, DominoRun> runs() throws IOException {
    DominoHttp.Answer answer = http.get(project + "/runs");
    if (!answer.found()) {
      throw new IOException("Domino has no project " + config.owner() + "/" + config.project() + " at " + http.host()
          + ": check owner and project under [remote.domino] (or DOMINO_PROJECT_OWNER/DOMINO_PROJECT_NAME)");
    }
    Map<String, DominoRun> runs = new LinkedHashMap<>();
    for (JsonNode run : json(answer, "GET runs").path("data")) {
      DominoRun parsed = DominoRun.of(run);
      runs.put(parsed.id(), parsed);
    }
    return runs;
  }

  /** {@code GET P/run/{id}/stdout}: the command's output so far (empty when there is none yet). */
  String stdout(String runId) throws IOException {
    DominoHttp.Answer answer = http.get(project + "/run/" + DominoPaths.segment(runId) + "/stdout");
    if (!answer.found()) {
      return "";
    }
    JsonNode stdout = json(answer, "GET stdout of run " + runId).get("stdout");
    return stdout == null || stdout.isNull() ? "" : stdout.asText();
  }

  /** One entry of a commit's file listing. */
  record FileEntry(String path, String key, long size) {}

  /** {@code GET P/files/{commit}/{path}}: the file, or the directory's files; empty when absent. */
  List<FileEntry> files(String commitId, String path) throws IOException {
    DominoHttp.Answer answer = http.get(project + "/files/" + DominoPaths.segment(commitId)
        + (path.isEmpty() ? "" : "/" + DominoPaths.path(path)));
    List<FileEntry> entries = new ArrayList<>();
    if (!answer.found()) {
      return entries;
    }
    for (JsonNode file : json(answer, "GET files of commit " + commitId).path("data")) {
      entries.add(new FileEntry(file.path("path").asText(), file.path("key").asText(), file.path("size").asLong()));
    }
    return entries;
  }

  /** {@code GET P/blobs/{key}}: a file's bytes. */
  byte[] blob(String key) throws IOException {
    DominoHttp.Answer answer = http.get(project + "/blobs/" + DominoPaths.segment(key));
    if (!answer.found()) {
      throw new IOException("Domino has no blob " + key + " in project " + config.owner() + "/" + config.project());
    }
    return answer.body();
  }

  /** {@code PUT P/{path}}: uploads a file, returns the new head commit. */
  String upload(String path, Path file) throws IOException {
    DominoHttp.Answer answer = http.put(project + "/" + DominoPaths.path(path), HttpRequest.BodyPublishers.ofFile(file));
    return commitOf(answer, path);
  }

  /** {@code PUT P/{path}} of bytes, returns the new head commit. */
  String upload(String path, byte[] bytes) throws IOException {
    DominoHttp.Answer answer = http.put(project + "/" + DominoPaths.path(path),
        HttpRequest.BodyPublishers.ofByteArray(bytes));
    return commitOf(answer, path);
  }

  private String commitOf(DominoHttp.Answer answer, String path) throws IOException {
    if (!answer.found()) {
      throw new IOException("Domino refused the upload of " + path + ": no project " + config.owner() + "/"
          + config.project());
    }
    JsonNode commit = json(answer, "PUT " + path).get("commitId");
    if (commit == null || commit.asText().isEmpty()) {
      throw new IOException("Domino took the upload of " + path + " but answered no commitId: " + answer.text());
    }
    return commit.asText();
  }

  /** {@code POST /v4/jobs/stop}: stops a run without committing its results. */
  void stop(String runId) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("projectId", projectId());
    body.put("jobId", runId);
    body.put("commitResults", false);
    DominoHttp.Answer answer = http.postJson("/v4/jobs/stop", JSON.writeValueAsString(body), STOP_WINDOW);
    if (!answer.found()) {
      throw new IOException("Domino does not know run " + runId + " to stop it");
    }
  }

  /** The project's id, for the v4 routes; asked once. */
  private String projectId() throws IOException {
    if (projectId == null) {
      DominoHttp.Answer answer = http.get("/v4/gateway/projects/findProjectByOwnerAndName?ownerName="
          + DominoPaths.query(config.owner()) + "&projectName=" + DominoPaths.query(config.project()));
      JsonNode id = answer.found() ? json(answer, "find project").get("id") : null;
      if (id == null || id.asText().isEmpty()) {
        throw new IOException("Domino does not know project " + config.owner() + "/" + config.project());
      }
      projectId = id.asText();
    }
    return projectId;
  }

  private static JsonNode json(DominoHttp.Answer answer, String what) throws IOException {
    try {
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new IOException(what + ": Domino's answer is not JSON: " + answer.text().strip(), e);
    }
  }
}
