package io.sluice.domino.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A plain HTTP client of the emulator for tests: real requests with java.net.http, answers as JSON. */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String key;

  ApiClient(DominoEmulator emulator) {
    this(emulator.url(), emulator.apiKey());
  }

  ApiClient(URI base, String key) {
    this.base = base;
    this.key = key;
  }

  /** The project's path prefix, {@code /v1/projects/OWNER/PROJECT}. */
  static String project(DominoEmulator emulator) {
    return "/v1/projects/" + emulator.owner() + "/" + emulator.project();
  }

  record Answer(int status, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + new String(body), e);
      }
    }

    String text() {
      return new String(body);
    }
  }

  Answer get(String path) {
    return send(request(path).GET());
  }

  Answer post(String path, Object body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
  }

  Answer put(String path, byte[] body) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    return key == null ? builder : builder.header("X-Domino-Api-Key", key);
  }

  /** Starts a run of {@code command} on a tier at a commit (null: head); its id. */
  String startRun(DominoEmulator emulator, List<String> command, String tier, String commitId) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("command", command);
    body.put("isDirect", false);
    body.put("commitId", commitId);
    body.put("title", "test run");
    body.put("tier", tier);
    body.put("publishApiEndpoint", false);
    Answer answer = post(project(emulator) + "/runs", body);
    if (answer.status() != 200) {
      throw new AssertionError("start run answered " + answer.status() + ": " + answer.text());
    }
    return answer.json().get("runId").asText();
  }

  /** Polls the run by id until its output commit is set; the run object. */
  JsonNode awaitCompleted(DominoEmulator emulator, String runId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode run = get(project(emulator) + "/runs/" + runId).json();
      if (run.path("isCompleted").asBoolean()) {
        return run;
      }
      pause();
    }
    throw new AssertionError("run " + runId + " not completed in 30 s");
  }

  /** Polls the run by id until it has {@code status}; the run object. */
  JsonNode awaitStatus(DominoEmulator emulator, String runId, String status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode run = null;
    while (System.nanoTime() < deadline) {
      run = get(project(emulator) + "/runs/" + runId).json();
      if (run.path("status").asText().equals(status)) {
        return run;
      }
      pause();
    }
    throw new AssertionError("run " + runId + " not " + status + " in 30 s; last: " + run);
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(Object body) {
    try {
      return body instanceof String s ? s.getBytes() : JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
