package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The run graph, timeline and "now" endpoints over real HTTP, on histories filled by real runs. */
class GraphAndNowApiTest {

  private static final Instant MONDAY = Instant.parse("2026-11-30T10:00:00Z");

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

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(field).asText()));
    return values;
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.get(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theGraphHasANodePerFamilyWithItsStatusCountsAndALinkPerPairOfFamilies(TestDatabases database)
      throws Exception {
    HistoryConfig config = database.create(dir);
    RecordedRuns.record(config, dir.resolve("state"), "run-report", "host-a", MONDAY,
        new TestTasks.Report(dir.resolve("out").toString(), 5));
    server = SluiceServer.start(config, "127.0.0.1", 0);

    JsonNode graph = get("/api/runs/run-report/graph");
    assertThat(texts(graph.get("families"), "family")).containsExactly("Report", "Score", "Broken", "Labelled");
    JsonNode scores = find(graph.get("families"), "family", "Score");
    assertThat(scores.get("total").asInt()).isEqualTo(5);
    assertThat(scores.get("byStatus").get("DONE").asInt()).isEqualTo(5);
    assertThat(find(graph.get("families"), "family", "Broken").get("byStatus").get("FAILED").asInt()).isEqualTo(1);
    assertThat(graph.get("links")).hasSize(3);
    assertThat(find(graph.get("links"), "requires", "Score").get("count").asInt()).isEqualTo(5);
    assertThat(find(graph.get("links"), "requires", "Score").get("family").asText()).isEqualTo("Report");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theOverviewHoldsTheRunItsGraphTimelineAndFirstPageOfTasksAsTheirOwnEndpointsAnswerThem(TestDatabases database)
      throws Exception {
    HistoryConfig config = database.create(dir);
    RecordedRuns.record(config, dir.resolve("state"), "run-report", "host-a", MONDAY,
        new TestTasks.Report(dir.resolve("out").toString(), 120));
    server = SluiceServer.start(config, "127.0.0.1", 0);

    JsonNode overview = get("/api/runs/run-report/overview");
    assertThat(overview.fieldNames()).toIterable().containsExactly("run", "graph", "timeline", "tasks");
    assertThat(overview.get("run")).isEqualTo(get("/api/runs/run-report"));
    assertThat(overview.get("graph")).isEqualTo(get("/api/runs/run-report/graph"));
    assertThat(overview.get("timeline")).isEqualTo(get("/api/runs/run-report/timeline"));
    assertThat(overview.get("tasks")).isEqualTo(get("/api/runs/run-report/tasks?offset=0&limit=100"));
    assertThat(overview.get("tasks").get("tasks")).as("the first page of 123 tasks").hasSize(100);
    assertThat(get("/api/runs/run-rep/overview").get("run").get("id").asText()).as("a unique beginning of the id")
        .isEqualTo("run-report");

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/api/runs/run-nope/overview")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json.readTree(unknown.body()).get("message").asText()).contains("No run 'run-nope'");
  }

  @Test
  void aSmallRunsTimelineHasABarPerTaskThatRan() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    RecordedRuns.record(config, dir.resolve("state"), "run-report", "host-a", MONDAY,
        new TestTasks.Report(dir.resolve("out").toString(), 5));
    server = SluiceServer.start(config, "127.0.0.1", 0);

    JsonNode timeline = get("/api/runs/run-report/timeline");
    assertThat(timeline.get("mode").asText()).isEqualTo("tasks");
    assertThat(texts(timeline.get("tasks"), "family")).contains("Score", "Broken", "Labelled");
    JsonNode broken = find(timeline.get("tasks"), "family", "Broken");
    assertThat(broken.get("status").asText()).isEqualTo("FAILED");
    assertThat(Instant.parse(broken.get("startedAt").asText()))
        .isBeforeOrEqualTo(Instant.parse(broken.get("endedAt").asText()));
  }

  @Test
  void aBigRunsTimelineHasALanePerFamilyWithItsStartsPerSlice() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    int ticks = RunAnswers.TIMELINE_TASKS + 500;
    RecordedRuns.record(config, dir.resolve("state"), "run-big", "host-a", MONDAY,
        new TestTasks.Ticks(dir.resolve("out").toString(), ticks));
    server = SluiceServer.start(config, "127.0.0.1", 0);

    JsonNode timeline = get("/api/runs/run-big/timeline");
    assertThat(timeline.get("mode").asText()).isEqualTo("families");
    JsonNode lane = find(timeline.get("families"), "family", "Tick");
    assertThat(lane.get("started").asInt()).isEqualTo(ticks);
    assertThat(lane.get("startsPerSlice")).hasSize(RunAnswers.TIMELINE_SLICES);
    int sum = 0;
    for (JsonNode slice : lane.get("startsPerSlice")) {
      sum += slice.asInt();
    }
    assertThat(sum).isEqualTo(ticks);
  }

  @Test
  void aBigRunsTimelineHasALanePerFamilyFromItsStartNotOnlyOnceItHasRecordedManyTasks() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    Path gate = dir.resolve("open-the-gate");
    Thread run = new Thread(() -> RecordedRuns.record(config, dir.resolve("state"), "run-gated", "host-a",
        Instant.now(), new TestTasks.GatedTicks(gate.toString(), RunAnswers.TIMELINE_TASKS + 500)));
    run.start();
    try {
      server = SluiceServer.start(config, "127.0.0.1", 0);
      pollUntil("/api/now", body -> body.get("runs").size() == 1 && body.get("runs").get(0).get("runningTasks").asInt() == 1);
      // Only the gate has started: a pass over the run's recorded tasks once a second would be a
      // bar per task now and lanes later; the planned size decides from the start.
      JsonNode timeline = get("/api/runs/run-gated/timeline");
      assertThat(timeline.get("status").asText()).isEqualTo("running");
      assertThat(timeline.get("mode").asText()).isEqualTo("families");
    } finally {
      Files.createFile(gate);
      run.join(60_000);
    }
  }

  @Test
  void whileARunGoesOnItsGraphShowsTheTasksNotYetStartedAsPendingAndNowShowsItsProcessTasksAndRemoteTiers()
      throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    Path gate = dir.resolve("open-the-gate");
    Thread run = new Thread(() -> RecordedRuns.record(config, dir.resolve("state"), "run-busy", "host-a",
        Instant.now(), new TestTasks.Busy(gate.toString())));
    run.start();
    try {
      server = SluiceServer.start(config, "127.0.0.1", 0);
      JsonNode now = pollUntil("/api/now", body -> body.get("runs").size() == 1
          && body.get("runs").get(0).get("runningTasks").asInt() == 2 && body.get("remoteByTier").size() == 2);
      JsonNode busy = now.get("runs").get(0);
      assertThat(busy.get("id").asText()).isEqualTo("run-busy");
      assertThat(busy.get("host").asText()).isEqualTo("host-a");
      assertThat(busy.get("pid").asLong()).isEqualTo(4242);
      assertThat(busy.get("rootTask").asText()).isEqualTo("Busy");
      assertThat(texts(busy.get("tasks"), "family")).containsExactly("RemoteGate", "RemoteGate");
      assertThat(texts(now.get("remoteByTier"), "tier")).containsExactly("Large", "Small");
      assertThat(now.get("remoteByTier").get(0).get("backends").get("slurm").asInt()).isEqualTo(1);

      // Two workers: the gate has not started, yet the graph knows it is there.
      JsonNode graph = get("/api/runs/run-busy/graph");
      assertThat(graph.get("status").asText()).isEqualTo("running");
      int pending = 0;
      for (JsonNode family : graph.get("families")) {
        pending += family.get("byStatus").path("PENDING").asInt();
      }
      assertThat(pending).isEqualTo(2); // the third gate and the wrapper
    } finally {
      Files.createFile(gate);
      run.join(60_000);
    }
    assertThat(get("/api/now").get("runs")).isEmpty();
  }

  private JsonNode pollUntil(String path, java.util.function.Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode body = get(path);
    while (!done.test(body)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Still not there after 30 s: " + body);
      }
      Thread.sleep(100);
      body = get(path);
    }
    return body;
  }
}
