package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JSON API over real HTTP, on a history filled by real recorded runs, in SQLite and PostgreSQL. */
class ApiTest {

  private static final Instant MONDAY = Instant.parse("2026-11-30T10:00:00Z");
  private static final Instant TUESDAY = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private SluiceServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Two runs: a failing report (5 scores, a broken task, a labelled one) on host-a, then a good one on host-b. */
  private void serveTwoRuns(TestDatabases database) throws Exception {
    HistoryConfig config = database.create(dir);
    RecordedRuns.record(config, dir.resolve("state"), "run-report", "host-a", MONDAY,
        new TestTasks.Report(dir.resolve("out").toString(), 5));
    RecordedRuns.record(config, dir.resolve("state"), "run-scores", "host-b", TUESDAY,
        new TestTasks.Scores(dir.resolve("out2").toString(), 3));
    server = SluiceServer.start(config, "127.0.0.1", 0);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response = send(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("application/json"));
    return json.readTree(response.body());
  }

  private HttpResponse<String> send(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(field).asText()));
    return values;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void runsAreListedNewestFirstAndFilteredByTaskStatusHostAndDate(TestDatabases database) throws Exception {
    serveTwoRuns(database);

    JsonNode all = get("/api/runs").get("runs");
    assertThat(texts(all, "id")).containsExactly("run-scores", "run-report");
    assertThat(texts(all, "status")).containsExactly("succeeded", "failed");
    assertThat(all.get(1).get("rootTask").asText()).isEqualTo("Report");
    assertThat(all.get(1).get("exitCode").asInt()).isNotZero();
    assertThat(all.get(1).get("startedAt").asText()).isEqualTo("2026-11-30T10:00:00Z");

    assertThat(texts(get("/api/runs?task=repo").get("runs"), "id")).containsExactly("run-report");
    assertThat(texts(get("/api/runs?status=failed").get("runs"), "id")).containsExactly("run-report");
    assertThat(texts(get("/api/runs?status=SUCCEEDED").get("runs"), "id")).containsExactly("run-scores");
    assertThat(get("/api/runs?status=running").get("runs")).isEmpty();
    assertThat(texts(get("/api/runs?host=host-b").get("runs"), "id")).containsExactly("run-scores");
    assertThat(texts(get("/api/runs?from=2026-12-01").get("runs"), "id")).containsExactly("run-scores");
    assertThat(texts(get("/api/runs?to=2026-12-01").get("runs"), "id")).containsExactly("run-report");
    assertThat(texts(get("/api/runs?limit=1").get("runs"), "id")).containsExactly("run-scores");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRunShowsItsTasksGroupedByFamilyWithCountsPerStatus(TestDatabases database) throws Exception {
    serveTwoRuns(database);

    JsonNode run = get("/api/runs/run-report");
    assertThat(run.get("taskCount").asInt()).isEqualTo(8);
    assertThat(run.get("byStatus").get("DONE").asInt()).isEqualTo(6);
    assertThat(run.get("byStatus").get("FAILED").asInt()).isEqualTo(1);
    assertThat(run.get("byStatus").get("UPSTREAM_FAILED").asInt()).isEqualTo(1);
    JsonNode families = run.get("families");
    assertThat(texts(families, "family")).containsExactlyInAnyOrder("Report", "Score", "Broken", "Labelled");
    for (JsonNode family : families) {
      if (family.get("family").asText().equals("Score")) {
        assertThat(family.get("total").asInt()).isEqualTo(5);
        assertThat(family.get("byStatus").get("DONE").asInt()).isEqualTo(5);
      }
    }
    assertThat(get("/api/runs/run-rep").get("id").asText()).as("a unique beginning of the id").isEqualTo("run-report");
  }

  @Test
  void aKeptAnswerGoesGzippedToAClientThatTakesGzipAndAsItIsToOneThatDoesNot() throws Exception {
    serveTwoRuns(TestDatabases.SQLITE);
    String path = "/api/runs/run-report/tasks?limit=1000";
    String plain = send(path).body();
    HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).header("Accept-Encoding", "gzip, deflate, br").build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(plain.length()).isGreaterThan(JsonAnswer.GZIP_FROM_BYTES);
    assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain);
    }
    assertThat(JsonAnswer.takesGzip("deflate, gzip;q=0")).isFalse();
    assertThat(JsonAnswer.takesGzip("gzip;q=0.5")).isTrue();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRunsTasksArePagedAndFilteredByFamilyStatusAndSearch(TestDatabases database) throws Exception {
    serveTwoRuns(database);

    JsonNode scores = get("/api/runs/run-report/tasks?family=Score&limit=2&offset=1");
    assertThat(scores.get("total").asInt()).isEqualTo(5);
    assertThat(scores.get("tasks")).hasSize(2);
    assertThat(texts(scores.get("tasks"), "family")).containsOnly("Score");

    JsonNode failed = get("/api/runs/run-report/tasks?status=FAILED");
    assertThat(texts(failed.get("tasks"), "family")).containsExactly("Broken");
    assertThat(failed.get("tasks").get(0).get("error").asText()).contains("input file is corrupt at line 7");

    JsonNode search = get("/api/runs/run-report/tasks?q=ITEM%3D3");
    assertThat(texts(search.get("tasks"), "name")).singleElement().asString().contains("item=3");
    assertThat(get("/api/runs/run-report/tasks?q=%25").get("total").asInt()).as("% is a character, not a wildcard")
        .isZero();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aTaskShowsItsParametersErrorLogTailOutputsAndPastRuns(TestDatabases database) throws Exception {
    serveTwoRuns(database);
    int broken = get("/api/runs/run-report/tasks?family=Broken").get("tasks").get(0).get("number").asInt();
    int labelled = get("/api/runs/run-report/tasks?family=Labelled").get("tasks").get(0).get("number").asInt();
    int score = get("/api/runs/run-report/tasks?q=item%3D1").get("tasks").get(0).get("number").asInt();

    JsonNode failure = get("/api/runs/run-report/tasks/" + broken);
    assertThat(failure.get("status").asText()).isEqualTo("FAILED");
    assertThat(failure.get("error").asText()).contains("input file is corrupt at line 7");
    assertThat(failure.get("stackTrace").asText()).contains("IllegalStateException").contains("TestTasks$Broken.run");
    assertThat(failure.get("logTail").asText()).contains("reading the input of the broken task");

    assertThat(get("/api/runs/run-report/tasks/" + labelled).get("params").get("label").asText())
        .isEqualTo(TestTasks.XSS);

    JsonNode done = get("/api/runs/run-report/tasks/" + score);
    assertThat(done.get("outputs").get(0).get("path").asText()).endsWith("score-1.txt");
    assertThat(done.get("outputs").get(0).get("size").asLong()).isEqualTo("score 1".length());
    assertThat(done.get("logTail").asText()).contains("scoring item 1");
    assertThat(done.get("remote").isNull()).isTrue();
    assertThat(texts(done.get("pastRuns"), "runId")).containsExactly("run-report");
    assertThat(done.get("pastRuns").get(0).get("durationMs").asLong()).isNotNegative();
  }

  @Test
  void badValuesAndUnknownRunsAreAnsweredWithAMessageThatSaysWhatToDo() throws Exception {
    serveTwoRuns(TestDatabases.SQLITE);

    HttpResponse<String> status = send("/api/runs?status=exploded");
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body()).contains("'exploded'").contains("running, succeeded, failed");
    HttpResponse<String> date = send("/api/runs?from=yesterday");
    assertThat(date.statusCode()).isEqualTo(400);
    assertThat(date.body()).contains("from=yesterday").contains("2026-11-30");
    assertThat(send("/api/runs?limit=0").body()).contains("limit=0").contains("from 1 to 1000");
    HttpResponse<String> unknown = send("/api/runs/run-nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("run-nope").contains("/api/runs");
    assertThat(send("/api/runs/run-report/tasks/999").statusCode()).isEqualTo(404);
    assertThat(send("/api/runs/run-report/tasks/abc").statusCode()).isEqualTo(400);
    HttpResponse<String> taskStatus = send("/api/runs/run-report/tasks?status=%3Cscript%3E");
    assertThat(taskStatus.statusCode()).isEqualTo(400);
    assertThat(taskStatus.body()).contains("'<script>'").contains("PENDING, RUNNING, DONE");
    assertThat(get("/api/runs/run-report/tasks?status=failed").get("total").asInt()).as("any case").isEqualTo(1);
  }

  @Test
  void theOpenApiDocumentDescribesEveryEndpoint() throws Exception {
    serveTwoRuns(TestDatabases.SQLITE);

    JsonNode openApi = get("/api/openapi.json");
    assertThat(openApi.get("openapi").asText()).startsWith("3.");
    List<String> paths = new ArrayList<>();
    openApi.get("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths).containsExactlyInAnyOrder("/api/runs", "/api/runs/{run}", "/api/runs/{run}/overview",
        "/api/runs/{run}/tasks", "/api/runs/{run}/tasks/{task}", "/api/schedules", "/api/schedules/{name}/run", "/api/session",
        "/api/runs/{run}/graph", "/api/runs/{run}/timeline", "/api/now");
  }

  @Test
  void pagesAreServedWithAPolicyThatForbidsInlineScripts() throws Exception {
    serveTwoRuns(TestDatabases.SQLITE);

    for (String page : List.of("/", "/runs/run-report", "/runs/run-report/tasks/1")) {
      HttpResponse<String> response = send(page);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("<!DOCTYPE html>");
      assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
          assertThat(policy).contains("script-src 'self'"));
    }
    assertThat(send("/static/run.js").statusCode()).isEqualTo(200);
    assertThat(send("/static/nothing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void aNonLoopbackBindAddressIsRefusedWhileTheServerHasNoAccessTokens() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);

    assertThatThrownBy(() -> SluiceServer.start(config, "0.0.0.0", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'0.0.0.0'").hasMessageContaining("127.0.0.1");
  }
}
